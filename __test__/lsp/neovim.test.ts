/**
 * End to end with a real editor: headless Neovim (Debian's `neovim`, installed by .ci/run) runs an editing session
 * (neovim/session.lua) against `tdd-fast lsp --stdio`: open, diagnostics, a syntax error typed and taken back, edit,
 * new diagnostics, hover, the generate code action, the generated file. Under CI=true a missing `nvim` fails this test instead of skipping it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { cliPath, isCi, makeProject, repoRoot } from '../helpers';

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const hasNvim = nvim.status === 0;

const CART = `export function total(items: number[] | null, rate = 2) {
  if (items == null) return 0;
  if (items.length === 0) return 0;
  return items.reduce((a, b) => a + b, 0) * rate;
}

export function many(a: number, b: number, c: number, d: number, e: number, f: number, g: number) {
  return a + b + c + d + e + f + g;
}
`;

interface SessionResult {
  error: string | null;
  steps: string[];
  opened: Array<{ code: string; lnum: number; message: string }>;
  broken: Array<{ code: string; lnum: number; message: string }>;
  repaired: Array<{ code: string; lnum: number; message: string }>;
  edited: unknown[];
  hover: string;
  actions: string[];
  generated: { output: string; errors: string[]; tests: number };
  shown: string[];
  exists: boolean;
  shown_buffer: string;
  shown_first_line: string;
}

describe('Neovim (headless) as the client', () => {
  if (!hasNvim) {
    const why = "nvim is missing: install Debian's neovim package (apt-get install -y neovim; .ci/run does)";
    if (isCi()) it('has nvim (CI=true: required, not skipped)', () => expect.fail(why));
    else it.skip(`skipped: ${why}`, () => undefined);
    return;
  }

  it('every Lua snippet of docs/editors.md compiles (the 0.8+ and lspconfig forms are not run: CI has Neovim 0.7)', () => {
    const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'editors.md'), 'utf8');
    const snippets = [...doc.matchAll(/```lua\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(snippets).toHaveLength(3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-nvim-doc-'));
    snippets.forEach((code, i) => {
      const file = path.join(dir, `snippet${i}.lua`);
      fs.writeFileSync(file, code);
      // loadfile compiles without running: a syntax error is reported and nvim exits 1.
      const check = `lua local ok, err = loadfile(${JSON.stringify(file)}); if not ok then io.stderr:write(err) vim.cmd('cquit 1') end`;
      const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', check, '-c', 'qa!'], { encoding: 'utf8', timeout: 30_000 });
      expect(run.status, `snippet ${i}: ${run.stderr}`).toBe(0);
    });
  });

  it('opens a file, gets diagnostics, edits, sees them change, hovers, generates tests and finds the file', () => {
    const root = makeProject({ 'package.json': '{"name":"nvim-e2e","type":"module"}', 'src/cart.ts': CART });
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-nvim-')), 'result.json');
    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(__dirname, 'neovim', 'session.lua')}`], {
      cwd: root,
      encoding: 'utf8',
      timeout: 280_000,
      env: { ...process.env, TDD_ROOT: root, TDD_OUT: out, TDD_NODE: process.execPath, TDD_CLI: cliPath },
    });
    expect(fs.existsSync(out), `nvim wrote no result (status ${run.status}): ${run.stderr}${run.stdout}`).toBe(true);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as SessionResult;
    expect(result.error).toBeNull();
    expect(result.steps).toEqual(['diagnostics', 'syntax error', 'edit', 'hover', 'code actions', 'generate']);
    const longList = { code: 'long-parameter-list', lnum: 6, message: 'many has 7 parameters (maximum 4)' };
    expect(result.opened).toEqual([longList]);
    // A syntax error mid-edit keeps the findings of the functions around it (`many`, after the broken function, moved
    // down by the 5 typed lines), and goes once the text parses again.
    expect(result.broken).toEqual(expect.arrayContaining([{ ...longList, lnum: 11 }, { code: 'parse-error', lnum: 14, message: 'Expected `}` but found `EOF`' }]));
    expect(result.broken).toHaveLength(2);
    expect(result.repaired).toEqual([longList]);
    expect(result.edited).toEqual([]);
    expect(result.hover).toContain('**total** · function · exported');
    expect(result.hover).toContain('`null-check` `items`');
    expect(result.actions).toEqual(['Generate tests for total', 'Generate tests for this file']);
    const output = path.join(root, 'src', 'cart.generated.test.ts');
    expect(result.generated.errors).toEqual([]);
    expect(result.generated.output).toBe(output);
    expect(result.exists).toBe(true);
    expect(result.shown).toEqual([`file://${output}`]);
    expect(result.shown_buffer).toBe(output);
    expect(result.shown_first_line).toMatch(/^\/\/ @generated by tdd-fast/);
  }, 300_000);
});
