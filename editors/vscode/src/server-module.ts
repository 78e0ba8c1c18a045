/**
 * Which `tdd-fast` the extension starts: the one the project installs (so the editor and CI run the same version and
 * rules), else the server bundled in the extension. No VS Code API here, so a test can check it on real folders.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The CLI to start: the first workspace folder's own tdd-fast, else the bundled one. */
export function serverModule(folders: string[], bundled: string): { module: string; from: 'workspace' | 'bundled' } {
  for (const folder of folders) {
    const candidate = path.join(folder, 'node_modules', 'tdd-fast', 'bin', 'tdd-fast.js');
    if (fs.existsSync(candidate)) return { module: candidate, from: 'workspace' };
  }
  return { module: bundled, from: 'bundled' };
}
