/**
 * `tdd-fast doctor`, native-core part: does the Rust core load for this platform, which version is it, and where
 * does the analysis cache live. The testing toolkit's part is in ts/testing/doctor.ts; ts/cli/testing.ts prints both.
 */
import * as fs from 'node:fs';
import { defaultCacheLocation } from './api';
import { native } from './native';

export interface DoctorLine {
  name: string;
  value: string;
  reason: string;
}

const RUST_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'aarch64', ia32: 'i686', arm: 'armv7' };

/** The C library on Linux: glibc ("gnu") unless the process report shows none (musl, e.g. Alpine). */
function linuxLibc(): 'gnu' | 'musl' {
  try {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return report?.header?.glibcVersionRuntime ? 'gnu' : 'musl';
  } catch {
    return 'gnu';
  }
}

/**
 * The platform as napi-rs names the per-platform package (`linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`) and as a
 * Rust target triple (`x86_64-unknown-linux-gnu`).
 */
export function platformTriple(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
  libc: 'gnu' | 'musl' = platform === 'linux' ? linuxLibc() : 'gnu',
): { napi: string; rust: string } {
  const rustArch = RUST_ARCH[arch] ?? arch;
  if (platform === 'linux') return { napi: `linux-${arch}-${libc}`, rust: `${rustArch}-unknown-linux-${libc}` };
  if (platform === 'darwin') return { napi: `darwin-${arch}`, rust: `${rustArch}-apple-darwin` };
  if (platform === 'win32') return { napi: `win32-${arch}-msvc`, rust: `${rustArch}-pc-windows-msvc` };
  return { napi: `${platform}-${arch}`, rust: `${rustArch}-unknown-${platform}` };
}

/** Doctor lines for the native core; never throws (a core that does not load is reported, with the reason). */
export function describeNativeCore(root: string = process.cwd(), load: typeof native = native): DoctorLine[] {
  const triple = platformTriple();
  const lines: DoctorLine[] = [
    { name: 'platform', value: triple.napi, reason: `Rust target ${triple.rust}, Node ${process.version}` },
  ];
  try {
    const binding = load();
    lines.push({ name: 'native core', value: 'loaded', reason: `tdd-fast-${triple.napi} binding` });
    lines.push({ name: 'native core version', value: binding.nativeVersion(), reason: 'nativeVersion()' });
  } catch (error) {
    lines.push({ name: 'native core', value: 'unavailable', reason: (error as Error).message.split('\n')[0] });
  }
  const cache = defaultCacheLocation(root);
  const size = fs.existsSync(cache) ? fs.statSync(cache).size : null;
  lines.push({
    name: 'analysis cache',
    value: cache,
    reason: size === null ? 'not written yet (analyze writes it)' : `${(size / 1024).toFixed(1)} KB`,
  });
  return lines;
}
