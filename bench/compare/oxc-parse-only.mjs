// The parse-only baseline: what a pure-TypeScript tool on the same parser (npm `oxc-parser`) pays before doing any
// analysis. Walks the given directories, parses every .ts/.tsx/.js/.jsx file with parseSync and drops the result.
// Usage: node oxc-parse-only.mjs <oxc-parser module dir> <paths...>
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [moduleDir, ...roots] = process.argv.slice(2);
const { parseSync } = createRequire(path.join(moduleDir, 'package.json'))('oxc-parser');

const SOURCE = /\.(ts|tsx|js|jsx|mts|cts|mjs|cjs)$/;
function* walk(target) {
  const stat = fs.statSync(target);
  if (stat.isFile()) {
    if (SOURCE.test(target)) yield target;
    return;
  }
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    yield* walk(path.join(target, entry.name));
  }
}

let files = 0;
let errors = 0;
for (const root of roots) {
  for (const file of walk(root)) {
    const result = parseSync(file, fs.readFileSync(file, 'utf8'));
    // Touch the AST like any consumer would (the npm binding materialises it lazily on `program` access).
    if (!result.program) throw new Error(`no program for ${file}`);
    errors += result.errors.length ? 1 : 0;
    files++;
  }
}
process.stderr.write(`oxc-parser: parsed ${files} files (${errors} with errors)\n`);
