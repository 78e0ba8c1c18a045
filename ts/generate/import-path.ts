/** Where a test file imports a source file from, as a person writes it: relative, TypeScript's extension dropped. */
import * as path from 'node:path';

export function isTypeScript(file: string): boolean {
  return /\.[cm]?tsx?$/.test(file);
}

export function importPathFor(output: string, source: string): string {
  let relative = path.relative(path.dirname(output), source).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  return isTypeScript(source) ? relative.replace(/\.[cm]?tsx?$/, '') : relative;
}
