/**
 * A module with no function of its own can still export one a call made while it loaded (common-tags:
 * `export default new TemplateTag(...)`, whose constructor returns a tag function). `generate --record` loads such a
 * module and tests what it exports; a module exporting only constants still says "no exported functions". Real CLI
 * runs, real vitest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, runCli } from '../helpers';
import { linkNodeModules, recordFile, runVitest } from './helpers';

const FILES = {
  'package.json': '{"name":"tags","private":true,"type":"module"}',
  'src/tag.js': [
    'export class Tag {',
    '  constructor(separator) {',
    '    this.separator = separator;',
    '    return (text) => (typeof text === "string" ? text.split(" ").join(this.separator) : String(text));',
    '  }',
    '}',
    '',
  ].join('\n'),
  'src/commas.js': ["import { Tag } from './tag.js';", '', "const commas = new Tag(',');", '', 'export default commas;', ''].join('\n'),
  'src/limits.js': ['export const LIMIT = 10;', ''].join('\n'),
};

describe('generate --record on a module whose export a call made', () => {
  it('records tests for the exported function, and they pass under vitest', () => {
    const root = makeProject(FILES);
    linkNodeModules(root);
    const { run, text } = recordFile(root, 'src/commas.js');
    expect(run.stderr).not.toContain('no exported functions');
    expect(text).toContain("import commas from './commas.js';");
    expect(text).toMatch(/expect\(commas\('[^']*'\)\)\.toBe\('[^']*'\);/);
    const vitest = runVitest(root, { filters: ['src/commas.generated.test.js'] });
    expect(vitest.success, vitest.output).toBe(true);
    expect(vitest.numPassedTests).toBeGreaterThan(0);
  }, 240_000);

  it('a module exporting only constants still says it exports no function, and writes no test', () => {
    const root = makeProject(FILES);
    linkNodeModules(root);
    const run = runCli(['generate', 'src/limits.js', '--record'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('src/limits.js: no exported functions');
    expect(fs.existsSync(path.join(root, 'src/limits.generated.test.js'))).toBe(false);
  }, 240_000);
});
