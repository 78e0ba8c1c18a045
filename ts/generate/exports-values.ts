/**
 * Whether a module with no function of its own may still export one: a function some call made while it loaded
 * (`export default new TemplateTag(...)` whose constructor returns a tag function, `module.exports = make()`). Only
 * loading the module tells, so record mode loads it and walks what it exports (search-discover.ts). A module that
 * exports only types (`export type`, `export interface`, `declare`) is not loaded.
 */
import * as fs from 'node:fs';
import type { FileReport } from '../engine/types';

export function exportsValues(file: string, report: FileReport): boolean {
  const text = readText(file);
  if (report.moduleFormat === 'esm') return /^\s*export\s+(?!(?:type|interface|declare)\b)/m.test(text);
  return /\b(?:module\.exports|exports\.[A-Za-z_$][\w$]*|exports\[[^\]]+\])\s*=[^=]/.test(text);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
