/** Where a test file imports a source file from, as a person writes it: relative, TypeScript's extension dropped. */
import * as path from 'node:path';

export function isTypeScript(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}

/**
 * A TypeScript source's specifier: `.ts`/`.tsx` dropped (`./cart`), `.mts`/`.cts` written as the `.mjs`/`.cjs` they
 * compile to (`./index.esm.mjs`): neither the compiler nor Node looks for `.mts` behind an extensionless specifier, so
 * `./index.esm` would not type-check, while Vite and tsc map `.mjs` back to the `.mts` source.
 */
export function typescriptSpecifier(relative: string): string {
  return relative.replace(/\.([cm]?)tsx?$/, (_, kind: string) => (kind ? `.${kind}js` : ''));
}

/** `source` relative to the folder of `output`, always starting with `.`, forward slashes. */
function relativeFrom(output: string, source: string): string {
  const relative = path.relative(path.dirname(output), source).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

export function importPathFor(output: string, source: string): string {
  const relative = relativeFrom(output, source);
  return isTypeScript(source) ? typescriptSpecifier(relative) : relative;
}
