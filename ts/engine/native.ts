/**
 * Loads the native core: the prebuilt per-platform package when installed from npm, the local build in a clone
 * (both handled by the napi-rs generated loader in native/binding.js). Fails with a message naming the platform.
 */

// The binding's types are napi's, generated from the Rust signatures and doc comments at build time
// (native/binding.d.ts): nothing here re-declares them, so the two cannot drift.
import type * as Binding from '../../native/binding';

export type { NativeAnalyzeOptions, NativeBatchText } from '../../native/binding';

/** The native module's functions, as napi declares them (the loader's own marker left out). */
export type NativeBinding = Omit<typeof Binding, '__napiBindingTarget'>;

let binding: NativeBinding | undefined;

export function native(): NativeBinding {
  if (binding) return binding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require('../../native/binding.js') as NativeBinding;
    return binding;
  } catch (cause) {
    const platform = `${process.platform}-${process.arch}`;
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new Error(
      `tdd-fast: no native core for ${platform}. Installed from npm, the optional package ` +
        `tdd-fast-${platform}* should have been installed (check that optional dependencies are not omitted); ` +
        `in a clone, run \`npm install\` (or \`npm run build:native\`) to build it from source with cargo. (${reason})`,
      { cause },
    );
  }
}
