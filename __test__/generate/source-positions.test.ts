/**
 * Positions in the code V8 runs (Vite's transform inside vitest's evaluator wrapper) mapped back to the source file:
 * a real transform of TypeScript by Vite (its oxc transform, with a source map), wrapped and inlined as vitest's module
 * runner does, through the built SourcePositions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { transformWithOxc } from 'vite';
import { describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';

const { SourcePositions } = require(path.join(repoRoot, 'dist', 'generate', 'source-positions.js')) as typeof import('../../ts/generate/source-positions');

const SOURCE = [
  "import type { Money } from './money';",
  '',
  'interface Line {',
  '  qty: number;',
  '}',
  '',
  'export function total(lines: Line[], unit: Money): number {',
  '  let sum = 0;',
  '  for (const line of lines) {',
  "    if (line.qty <= 0) throw new RangeError('quantity must be positive');",
  '    sum += line.qty * unit.cents;',
  '  }',
  '  return sum;',
  '}',
  '',
].join('\n');

describe('SourcePositions', () => {
  it("maps an offset of the transformed, wrapped module to the source file's line and column, and reads the code there", async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-pos-')), 'invoice.ts');
    fs.writeFileSync(file, SOURCE);
    const out = await transformWithOxc(SOURCE, file, { sourcemap: true });
    const map = Buffer.from(JSON.stringify(out.map)).toString('base64');
    const wrapper = "'use strict';async (__vite_ssr_exports__,__vite_ssr_import_meta__)=>{{";
    const script = `${wrapper}${out.code}\n}}\n//# sourceMappingURL=data:application/json;base64,${map}\n`;
    // The types are gone, so the throw sits on another line of the transformed code than of the source.
    const offset = script.indexOf('throw new RangeError');
    expect(script.slice(0, offset).split('\n').length).not.toBe(10);
    const positions = new SourcePositions();
    const at = positions.original(file, script, offset);
    expect(at).toEqual({ file, line: 10, column: SOURCE.split('\n')[9].indexOf('throw') });
    expect(positions.textAt(at!, 20)).toBe('throw new RangeError');
    // The first line is shifted by the evaluator's wrapper.
    const first = positions.original(file, script, script.indexOf('function total'));
    expect(first?.line).toBe(7);
  });
});
