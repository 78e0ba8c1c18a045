/**
 * A vitest config written in ESM (`vitest.config.ts` with `import`/`export default`) in a CommonJS package (no
 * `"type": "module"`), as many TypeScript libraries have it: record mode loads it the way vitest does (its own
 * config loader, through `createVitest`), so the config's alias and define apply in the search and the verify run.
 * A real CLI run.
 */
import { describe, expect, it } from 'vitest';

import { makeProject } from '../helpers';
import { recordFile } from './helpers';

describe('an ESM vitest config in a CommonJS package', () => {
  it('loads as vitest loads it: its alias and define reach the search and the kept tests', () => {
    const root = makeProject({
      'package.json': '{"name":"cjs-lib","private":true}',
      'vitest.config.ts': [
        "import { fileURLToPath } from 'node:url';",
        '',
        'export default {',
        "  resolve: { alias: { '@core': fileURLToPath(new URL('./src/core', import.meta.url)) } },",
        "  define: { __UNIT__: JSON.stringify('cm') },",
        '};',
        '',
      ].join('\n'),
      'src/core/scale.ts': 'export const FACTOR = 10;\n',
      'src/convert.ts': [
        "import { FACTOR } from '@core/scale';",
        '',
        'declare const __UNIT__: string;',
        '',
        'export function toUnit(mm: number): string {',
        "  if (mm < 0) throw new RangeError('negative length');",
        '  return `${mm / FACTOR} ${__UNIT__}`;',
        '}',
        '',
      ].join('\n'),
    });
    const { run, text } = recordFile(root, 'src/convert.ts');
    expect(run.stderr).not.toMatch(/could not be loaded|could not start/);
    expect(text).toMatch(/ cm'\)/);
    expect(text).toContain('negative length');
    expect(text).not.toContain('it.todo');
  }, 180_000);
});
