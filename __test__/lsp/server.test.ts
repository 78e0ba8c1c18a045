/**
 * The language server, driven by a real LSP client (vscode-languageserver-protocol) against the built server: every
 * request and notification it serves, the CLI's config / baseline / ignores in the editor, generation in record mode
 * (real child processes and vitest), and the bad input of issue #23.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { makeProject, runCli } from '../helpers';
import { startChild, startInProcess, uriOf, type LspClient } from './client';

const CART = `export function total(items: number[] | null, rate = 2) {
  if (items == null) return 0;
  if (items.length === 0) return 0;
  return items.reduce((a, b) => a + b, 0) * rate;
}
`;

const MANY = `
export function many(a: number, b: number, c: number, d: number, e: number, f: number, g: number) {
  return a + b + c + d + e + f + g;
}
`;

const MID = `
export function mid(x: number) {
  if (x) {
    return 1;
  }
  return 0;
}
`;

const LATE = `
export function late(x: number) {
  if (x > 1) {
    return 1;
  }
  return 2;
}
`;

/** A block long enough for the duplicate-code rule (50 tokens over 5 lines), written twice in a project. */
const BLOCK = (name: string) => `export function ${name}(order: { lines: { qty: number; price: number }[]; coupon?: string }) {
  let sum = 0;
  for (const line of order.lines) {
    if (line.qty <= 0) continue;
    sum += line.qty * line.price;
  }
  if (order.coupon === 'HALF') sum = sum / 2;
  if (order.coupon === 'TENOFF') sum = Math.max(0, sum - 10);
  return Math.round(sum * 100) / 100;
}
`;

const clients: LspClient[] = [];

async function start(folders: string[], initializationOptions: Record<string, unknown> = { debounceMs: 0, duplicates: false }): Promise<LspClient> {
  const client = await startInProcess({ folders, initializationOptions });
  clients.push(client);
  return client;
}

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

const codes = (p: { diagnostics: Array<{ code?: string | number }> }) => p.diagnostics.map((d) => d.code);

describe('diagnostics', () => {
  it('come from the buffer, not the disk, when a file opens and on every change', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file, CART + MANY);
    const first = await client.diagnosticsFor(file);
    expect(first.version).toBe(1);
    expect(first.diagnostics).toHaveLength(1);
    expect(first.diagnostics[0]).toMatchObject({ code: 'long-parameter-list', source: 'tdd-fast', message: 'many has 7 parameters (maximum 4)' });
    expect(first.diagnostics[0].range.start.line).toBe(6);
    // Down to two parameters: the finding goes.
    const header = { start: { line: 6, character: 0 }, end: { line: 7, character: 0 } };
    const version = await client.change(file, [{ range: header, text: 'export function many(a: number, b: number, ...c: number[]) {\n' }]);
    const second = await client.diagnosticsFor(file, () => true, version);
    expect(second.diagnostics).toEqual([]);
  });

  it('are debounced: a burst of edits is answered once, for its last version', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART });
    const client = await start([root], { debounceMs: 1000, duplicates: false });
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    await client.diagnosticsFor(file);
    let version = 1;
    for (let i = 0; i < 5; i++) version = await client.change(file, [{ text: CART + MANY + `// edit ${i}\n` }]);
    const last = await client.diagnosticsFor(file, () => true, version);
    expect(codes(last)).toEqual(['long-parameter-list']);
    expect(client.diagnostics.filter((p) => p.uri === uriOf(file)).map((p) => p.version)).toEqual([1, version]);
  });

  it("use the project's config like the CLI, and reload it when the client reports a change", async () => {
    const config = { rules: { 'long-parameter-list': { threshold: 10 } } };
    const root = makeProject({ 'package.json': '{"name":"p"}', 'tdd-fast.config.json': JSON.stringify(config), 'src/cart.ts': CART + MANY });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect((await client.diagnosticsFor(file)).diagnostics).toEqual([]);
    // The server asked the client to watch the files it reads.
    expect(JSON.stringify(client.registrations)).toContain('**/tdd-fast.config.json');
    const configFile = path.join(root, 'tdd-fast.config.json');
    fs.writeFileSync(configFile, JSON.stringify({ preset: 'recommended' }));
    const before = client.diagnostics.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configFile), type: 2 }] });
    await client.waitFor('new diagnostics', () => client.diagnostics.length > before && client.diagnostics.at(-1)!.diagnostics.length > 0);
    expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
  });

  it('reload a config named by the configFile setting, or found above the folder, when it changes', async () => {
    const outer = makeProject({ 'tdd-fast.config.json': '{}', 'app/package.json': '{"name":"app"}', 'app/configs/strict.json': '{}', 'app/src/cart.ts': CART + MANY });
    const root = path.join(outer, 'app');
    const file = path.join(root, 'src/cart.ts');
    const named = await start([root], { debounceMs: 0, duplicates: false, configFile: 'configs/strict.json' });
    const above = await start([root], { debounceMs: 0, duplicates: false });
    for (const client of [named, above]) {
      await client.open(file);
      expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
    }
    for (const [client, configFile] of [[named, path.join(root, 'configs/strict.json')], [above, path.join(outer, 'tdd-fast.config.json')]] as const) {
      expect(JSON.stringify(client.registrations)).toContain(configFile);
      fs.writeFileSync(configFile, JSON.stringify({ rules: { 'long-parameter-list': 'off' } }));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configFile), type: 2 }] });
      await client.diagnosticsFor(file, (p) => p.diagnostics.length === 0);
    }
  });

  it('reload the config when it is saved in the editor (clients that do not watch files)', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'tdd-fast.config.json': '{}', 'src/cart.ts': CART + MANY });
    const client = await startInProcess({ folders: [root], initializationOptions: { debounceMs: 0, duplicates: false }, capabilities: {} });
    clients.push(client);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
    expect(client.registrations).toEqual([]);
    const configFile = path.join(root, 'tdd-fast.config.json');
    const text = JSON.stringify({ rules: { 'long-parameter-list': 'off' } });
    await client.open(configFile, '{}');
    await client.change(configFile, [{ text }]);
    fs.writeFileSync(configFile, text);
    await client.save(configFile);
    await client.waitFor('the findings to go', () => client.diagnostics.filter((p) => p.uri === uriOf(file)).at(-1)!.diagnostics.length === 0);
  });

  it("hide what the project's baseline knows, as the CLI does, and show new findings", async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART + MANY });
    const cli = runCli(['analyze', '--update-baseline'], root);
    expect(cli.code).toBe(0);
    expect(fs.existsSync(path.join(root, '.tdd-fast-baseline.json'))).toBe(true);
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect((await client.diagnosticsFor(file)).diagnostics).toEqual([]);
    const more = 'export function more(a: number, b: number, c: number, d: number, e: number, f: number, g: number) {\n  return a * b * c * d * e * f * g;\n}\n';
    const version = await client.change(file, [{ text: CART + MANY + more }]);
    const after = await client.diagnosticsFor(file, () => true, version);
    expect(after.diagnostics.map((d) => d.message)).toEqual(['more has 7 parameters (maximum 4)']);
  });

  it("stay quiet in files the CLI would not analyse (the config's exclude, .gitignore, .tdd-fastignore)", async () => {
    const root = makeProject({
      'package.json': '{"name":"p"}',
      'tdd-fast.config.json': JSON.stringify({ exclude: ['legacy/**'] }),
      '.gitignore': 'build/\n',
      '.tdd-fastignore': 'vendor/\n',
      'src/cart.ts': CART + MANY,
      'legacy/old.ts': CART + MANY,
      'build/out.ts': CART + MANY,
      'vendor/lib.ts': CART + MANY,
    });
    execFileSync('git', ['init', '-q'], { cwd: root });
    const client = await start([root]);
    const names = ['src/cart.ts', 'legacy/old.ts', 'build/out.ts', 'vendor/lib.ts'];
    for (const name of names) await client.open(path.join(root, name));
    const published = await Promise.all(names.map((name) => client.diagnosticsFor(path.join(root, name))));
    expect(published.map(codes)).toEqual([['long-parameter-list'], [], [], []]);
    // The CLI agrees.
    expect(runCli(['analyze', '--format', 'json'], root).stdout).toMatch(/"path":"src\/cart\.ts"/);
    expect(runCli(['analyze', '--format', 'json'], root).stdout).not.toMatch(/legacy|build|vendor/);
  });

  it('serve several workspace folders, each with its own config', async () => {
    const strict = makeProject({ 'package.json': '{"name":"a"}', 'src/cart.ts': CART + MANY });
    const lenient = makeProject({
      'package.json': '{"name":"b"}',
      'tdd-fast.config.json': JSON.stringify({ rules: { 'long-parameter-list': 'off' } }),
      'src/cart.ts': CART + MANY,
    });
    const client = await start([strict, lenient]);
    await client.open(path.join(strict, 'src/cart.ts'));
    await client.open(path.join(lenient, 'src/cart.ts'));
    expect(codes(await client.diagnosticsFor(path.join(strict, 'src/cart.ts')))).toEqual(['long-parameter-list']);
    expect((await client.diagnosticsFor(path.join(lenient, 'src/cart.ts'))).diagnostics).toEqual([]);
  });

  it('follow workspace folders the client adds: a new folder is scanned for duplicates', async () => {
    const first = makeProject({ 'package.json': '{"name":"a"}', 'src/cart.ts': CART });
    const second = makeProject({ 'package.json': '{"name":"b"}', 'src/a.ts': BLOCK('priceA'), 'src/b.ts': BLOCK('priceB') });
    const client = await start([first], { debounceMs: 0, duplicates: true });
    const file = path.join(second, 'src/a.ts');
    await client.open(file);
    expect((await client.diagnosticsFor(file)).diagnostics).toEqual([]);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: uriOf(second), name: 'b' }], removed: [] },
    });
    const found = await client.diagnosticsFor(file, (p) => codes(p).includes('duplicate-code'));
    expect(found.diagnostics[0].relatedInformation![0].location.uri).toBe(uriOf(path.join(second, 'src/b.ts')));
  });

  it('show a duplicate block with the other copy as related information', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/a.ts': BLOCK('priceA'), 'src/b.ts': `// b\n${BLOCK('priceB')}` });
    const client = await start([root], { debounceMs: 0, duplicates: true });
    const a = path.join(root, 'src/a.ts');
    await client.open(a);
    const found = await client.diagnosticsFor(a, (p) => codes(p).includes('duplicate-code'));
    const dup = found.diagnostics.find((d) => d.code === 'duplicate-code')!;
    expect(dup.message).toMatch(/duplicated lines \(\d+ tokens\), also at src\/b\.ts:\d+-\d+/);
    expect(dup.relatedInformation).toHaveLength(1);
    expect(dup.relatedInformation![0].location.uri).toBe(uriOf(path.join(root, 'src/b.ts')));
    expect(dup.relatedInformation![0].location.range.start.line).toBeGreaterThanOrEqual(1);
  });

  it('find duplicates in the unsaved buffers of open documents, not in the files on disk', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/a.ts': BLOCK('priceA'), 'src/b.ts': CART });
    const client = await start([root], { debounceMs: 0, duplicates: true, duplicateScanDelayMs: 0 });
    const [a, b] = [path.join(root, 'src/a.ts'), path.join(root, 'src/b.ts')];
    await client.open(a);
    await client.open(b);
    // The copy is typed into b's buffer and never saved: b.ts on disk stays CART.
    await client.change(b, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: `// copied\n${BLOCK('priceB')}` }]);
    const inB = await client.diagnosticsFor(b, (p) => codes(p).includes('duplicate-code'));
    const dupB = inB.diagnostics.find((d) => d.code === 'duplicate-code')!;
    expect(dupB.range.start.line).toBe(6);
    expect(dupB.relatedInformation!.map((r) => [r.location.uri, r.location.range.start.line])).toEqual([[uriOf(a), 0]]);
    // The other copy points back at the buffer's lines.
    const inA = await client.diagnosticsFor(a, (p) => codes(p).includes('duplicate-code'));
    expect(inA.diagnostics[0].relatedInformation!.map((r) => [r.location.uri, r.location.range.start.line])).toEqual([[uriOf(b), 6]]);
    expect(fs.readFileSync(b, 'utf8')).toBe(CART);
    // Closed without saving: the disk is the truth again, and the duplicate goes.
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(b) } });
    await client.diagnosticsFor(a, (p) => !codes(p).includes('duplicate-code'));
  });
});

describe('hover, code lens and code actions', () => {
  it("hover on a function's name shows its metrics and edge cases in Markdown", async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    const hover = await client.hover(file, 0, 18);
    const text = (hover!.contents as { kind: string; value: string }).value;
    expect((hover!.contents as { kind: string }).kind).toBe('markdown');
    expect(text).toContain('**total** · function · exported');
    expect(text).toContain('| 4 | 2 | 1 | 5 |');
    expect(text).toContain('**5 edge cases**');
    expect(text).toContain('- `null-check` `items` (line 2): `null`, `undefined`');
    expect(text).toContain('- `length-boundary` `items` (line 3)');
    expect(hover!.range).toEqual({ start: { line: 0, character: 16 }, end: { line: 0, character: 21 } });
    // Not on a name: nothing.
    expect(await client.hover(file, 1, 10)).toBeNull();
  });

  it('hover knows arrow functions by their variable and methods by their name in the class', async () => {
    const source = 'export const trim = (s: string | null) => (s == null ? "" : s.trim());\nexport class Cart {\n  total(items: number[]) {\n    return items.length;\n  }\n}\n';
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/shapes.ts': source });
    const client = await start([root]);
    const file = path.join(root, 'src/shapes.ts');
    await client.open(file);
    const arrow = await client.hover(file, 0, 15);
    expect((arrow!.contents as { value: string }).value).toMatch(/^\*\*trim\*\* · arrow · exported/);
    const method = await client.hover(file, 2, 4);
    expect((method!.contents as { value: string }).value).toMatch(/^\*\*Cart\.total\*\* · method/);
  });

  it('a code lens on each exported function counts its edge cases and offers generation', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART + MANY + 'function hidden(a) { return a?.b; }\n' });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    const lenses = await client.codeLens(file);
    expect(lenses.map((l) => [l.range.start.line, l.command!.title])).toEqual([
      [0, '5 edge cases · Generate tests'],
      [6, '0 edge cases · Generate tests'],
    ]);
    expect(lenses[0].command).toMatchObject({ command: 'tdd-fast.generateTests', arguments: [{ uri: uriOf(file), function: 'total' }] });
  });

  it('code actions generate tests for the function at the cursor or the whole file, never in a test file', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART + MANY, 'src/cart.test.ts': CART });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect((await client.codeActions(file, 2)).map((a) => [a.title, a.kind])).toEqual([
      ['Generate tests for total', 'refactor.generateTests'],
      ['Generate tests for this file', 'source.generateTests'],
    ]);
    expect((await client.codeActions(file, 5)).map((a) => a.title)).toEqual(['Generate tests for this file']);
    await client.open(path.join(root, 'src/cart.test.ts'));
    expect(await client.codeActions(path.join(root, 'src/cart.test.ts'), 2)).toEqual([]);
  });
});

/** The machine's processes (pid, parent pid, command line). */
function processes(): Array<{ pid: number; ppid: number; args: string }> {
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' }).stdout ?? '';
  return ps
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }));
}

describe('generate tests from the editor', () => {
  it('records tests for one function with progress, writes the .generated.test file and shows it', async () => {
    const root = makeProject({ 'package.json': '{"name":"p","type":"module"}', 'src/cart.ts': CART + MANY });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    const [action] = await client.codeActions(file, 1);
    const result = (await client.connection.sendRequest('workspace/executeCommand', action.command)) as { output: string; written: string[]; errors: string[]; tests: number };
    const output = path.join(root, 'src/cart.generated.test.ts');
    expect(result.errors).toEqual([]);
    expect(result.output).toBe(output);
    expect(result.tests).toBeGreaterThan(0);
    const text = fs.readFileSync(output, 'utf8');
    expect(text.startsWith('// @generated by tdd-fast')).toBe(true);
    expect(text).toContain("describe('total'");
    expect(client.showDocuments).toEqual([{ uri: uriOf(output), takeFocus: true }]);
    const kinds = client.progress.map((p) => (p.value as { kind: string }).kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds.at(-1)).toBe('end');
    expect((client.progress[0].value as { title: string; cancellable: boolean }).cancellable).toBe(true);
    // The client was asked to refresh its code lenses, which now name the generated file.
    expect(client.codeLensRefreshes).toBe(1);
    const lenses = await client.codeLens(file);
    expect(lenses.map((l) => l.command!.title)).toContain('cart.generated.test.ts');
  }, 180_000);

  it('never replaces a hand-written test file of the same name, and refuses unsaved buffers', async () => {
    const handWritten = "import { it } from 'vitest';\nit('mine', () => {});\n";
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART, 'src/cart.generated.test.ts': handWritten, 'src/other.ts': CART });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    const command = { command: 'tdd-fast.generateTests', arguments: [{ uri: uriOf(file) }] };
    await expect(client.connection.sendRequest('workspace/executeCommand', command)).rejects.toThrow(/written by hand: tdd-fast never replaces it/);
    expect(fs.readFileSync(path.join(root, 'src/cart.generated.test.ts'), 'utf8')).toBe(handWritten);
    expect(client.shown.at(-1)!.message).toMatch(/written by hand/);
    const other = path.join(root, 'src/other.ts');
    await client.open(other);
    await client.change(other, [{ text: CART + '// unsaved\n' }]);
    await expect(
      client.connection.sendRequest('workspace/executeCommand', { command: 'tdd-fast.generateTests', arguments: [{ uri: uriOf(other) }] }),
    ).rejects.toThrow(/unsaved changes: save it first/);
    expect(fs.existsSync(path.join(root, 'src/other.generated.test.ts'))).toBe(false);
  });

  it('is cancelled from the progress UI: the generator and its children end, nothing is written', async () => {
    // Loading this module blocks for 30 s (without using the CPU): the generator's child is still running when cancelled.
    const slow = `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);\n${CART}`;
    const root = makeProject({ 'package.json': '{"name":"p","type":"module"}', 'src/cart.ts': slow });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    const pending = client.connection.sendRequest('workspace/executeCommand', { command: 'tdd-fast.generateTests', arguments: [{ uri: uriOf(file) }] });
    const begin = await client.waitFor('progress to begin', () => client.progress.find((p) => (p.value as { kind: string }).kind === 'begin'));
    // Cancel once the generator has started a child of its own (the search or vitest, in its own process group).
    const worker = await client.waitFor('the generator', () => processes().find((p) => p.args.includes('generate-worker.js')));
    const child = await client.waitFor('its child process', () => processes().find((p) => p.ppid === worker.pid));
    await client.connection.sendNotification('window/workDoneProgress/cancel', { token: begin.token });
    const result = (await pending) as { cancelled: boolean };
    expect(result.cancelled).toBe(true);
    await client.waitFor('the generator and its child to end', () => !processes().some((p) => p.pid === worker.pid || p.pid === child.pid), 10_000);
    expect(fs.existsSync(path.join(root, 'src/cart.generated.test.ts'))).toBe(false);
    expect(client.shown.at(-1)!.message).toMatch(/was cancelled/);
  }, 60_000);
});

describe('bad input', () => {
  it('a syntax error mid-edit keeps the findings of the functions before it and adds the error', async () => {
    const text = CART + MANY + MID + LATE;
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': text });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
    // Delete the closing brace of \`mid\`: the file now ends inside it; the core recovers every function but \`mid\`.
    const brace = text.split('\n').indexOf('}', text.split('\n').indexOf('export function mid(x: number) {'));
    const version = await client.change(file, [{ range: { start: { line: brace, character: 0 }, end: { line: brace, character: 1 } }, text: '' }]);
    const broken = await client.diagnosticsFor(file, () => true, version);
    expect(codes(broken).sort()).toEqual(['long-parameter-list', 'parse-error']);
    expect(broken.diagnostics.find((d) => d.code === 'long-parameter-list')!.range.start.line).toBe(6);
    expect(broken.diagnostics.find((d) => d.code === 'parse-error')!.message).toMatch(/Expected `\}` but found `EOF`/);
    // Hover still knows the functions above the error, not the broken one.
    expect(await client.hover(file, 0, 18)).not.toBeNull();
    expect(await client.hover(file, brace - 5, 18)).toBeNull();
    // Fixed again: everything is current.
    const fixed = await client.change(file, [{ range: { start: { line: brace, character: 0 }, end: { line: brace, character: 0 } }, text: '}' }]);
    expect(codes(await client.diagnosticsFor(file, () => true, fixed))).toEqual(['long-parameter-list']);
    expect(await client.hover(file, brace - 5, 18)).not.toBeNull();
  });

  it('a file opened with an unclosed brace shows the findings of the functions before it (no earlier clean version)', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}' });
    const client = await start([root]);
    const file = path.join(root, 'src/open.ts');
    // \`mid\` never closes its \`if\`: the parser reports the end of the file and gives up on the whole program.
    const text = CART + MANY + MID.replace('    return 1;\n  }\n', '    return 1;\n') + LATE;
    await client.open(file, text);
    const published = await client.diagnosticsFor(file);
    expect(codes(published).sort()).toEqual(['long-parameter-list', 'parse-error']);
    expect(published.diagnostics.find((d) => d.code === 'long-parameter-list')!.range.start.line).toBe(6);
    expect(await client.hover(file, 0, 18)).not.toBeNull();
    expect(await client.hover(file, text.split('\n').indexOf('export function mid(x: number) {'), 18)).toBeNull();
  });

  it('a syntax error mid-edit keeps the functions after the broken one too, at their own lines', async () => {
    const text = CART + MID + MANY + LATE;
    const lines = text.split('\n');
    const line = (start: string) => lines.findIndex((l) => l.startsWith(start));
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': text });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
    // Delete the closing brace of `mid`: the parser gives up at the end of the file, so `many` and `late` come back
    // only from the core's recovery (the last clean version's functions are kept only above the edit).
    const brace = lines.indexOf('}', line('export function mid('));
    const version = await client.change(file, [{ range: { start: { line: brace, character: 0 }, end: { line: brace, character: 1 } }, text: '' }]);
    const broken = await client.diagnosticsFor(file, () => true, version);
    expect(codes(broken).sort()).toEqual(['long-parameter-list', 'parse-error']);
    expect(broken.diagnostics.find((d) => d.code === 'long-parameter-list')!.range.start.line).toBe(line('export function many('));
    expect(JSON.stringify(await client.hover(file, line('export function many('), 18))).toContain('**many**');
    expect(JSON.stringify(await client.hover(file, line('export function late('), 18))).toContain('**late**');
    expect(await client.hover(file, line('export function mid('), 18)).toBeNull();
  });

  it('a file opened with an unclosed brace shows the findings of the functions after it', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}' });
    const client = await start([root]);
    const file = path.join(root, 'src/open.ts');
    const text = CART + MID.replace('    return 1;\n  }\n', '    return 1;\n') + MANY;
    await client.open(file, text);
    const published = await client.diagnosticsFor(file);
    expect(codes(published).sort()).toEqual(['long-parameter-list', 'parse-error']);
    expect(published.diagnostics.find((d) => d.code === 'long-parameter-list')!.range.start.line).toBe(text.split('\n').findIndex((l) => l.startsWith('export function many(')));
  });

  it('a buffer over maxFileSize, a binary buffer and a buffer that was not UTF-8 each get one diagnostic saying why', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}' });
    const client = await start([root], { debounceMs: 0, duplicates: false, maxFileSize: 2000 });
    const cases: Array<[string, string, RegExp]> = [
      ['big.ts', CART.repeat(20), /too large to analyse \(\d+ bytes, limit 2000 bytes/],
      ['binary.ts', 'export const a = 1;\0\0\x01\x02', /looks binary/],
      ['latin1.ts', "export const name = 'Ren\uFFFDe';\n" + MANY, /not valid UTF-8/],
    ];
    for (const [name, text, message] of cases) {
      const file = path.join(root, name);
      await client.open(file, text);
      const published = await client.diagnosticsFor(file);
      expect(published.diagnostics).toHaveLength(1);
      expect(published.diagnostics[0].message).toMatch(message);
    }
    const latin1 = await client.diagnosticsFor(path.join(root, 'latin1.ts'));
    expect(latin1.diagnostics[0].range.start).toEqual({ line: 0, character: 24 });
  });

  it('an unknown rule in the config is a diagnostic on the config file; the server goes on with the defaults', async () => {
    const configText = '{\n  "rules": {\n    "no-such-rule": "warning"\n  }\n}\n';
    const root = makeProject({ 'package.json': '{"name":"p"}', 'tdd-fast.config.json': configText, 'src/cart.ts': CART + MANY });
    const client = await start([root]);
    const configFile = path.join(root, 'tdd-fast.config.json');
    const onConfig = await client.diagnosticsFor(configFile);
    expect(onConfig.diagnostics).toHaveLength(1);
    expect(onConfig.diagnostics[0].message).toMatch(/unknown rule "no-such-rule"/);
    expect(onConfig.diagnostics[0].range).toEqual({ start: { line: 2, character: 4 }, end: { line: 2, character: 18 } });
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
    // Fixed: the config's diagnostic is cleared.
    fs.writeFileSync(configFile, '{}\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(configFile), type: 2 }] });
    expect((await client.diagnosticsFor(configFile, (p) => p.diagnostics.length === 0)).diagnostics).toEqual([]);
  });

  it('an edit or a request for a document that was never opened is an error, and the server goes on', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART });
    const client = await start([root]);
    const ghost = path.join(root, 'src/ghost.ts');
    await client.change(ghost, [{ text: 'export const a = 1;' }]);
    await client.waitFor('the error in the log', () => client.logs.find((l) => l.type === 1 && l.message.includes(`${uriOf(ghost)} is not open`)));
    await expect(client.hover(ghost, 0, 0)).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('is not open') });
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect(await client.hover(file, 0, 18)).not.toBeNull();
  });

  it('a request that crashes is answered with an error and logged; the next one is served', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART });
    const client = await start([root]);
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    // A client bug: a hover without a position.
    await expect(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) } })).rejects.toMatchObject({
      code: -32803,
      message: expect.stringContaining('textDocument/hover failed'),
    });
    expect(client.logs.some((l) => l.type === 1 && /hover failed: TypeError[^\n]*\n\s+at /.test(l.message))).toBe(true);
    expect(await client.hover(file, 0, 18)).not.toBeNull();
  });
});

describe('tdd-fast lsp --stdio', () => {
  it('serves an editor over stdin/stdout and exits 0 after shutdown and exit', async () => {
    const root = makeProject({ 'package.json': '{"name":"p"}', 'src/cart.ts': CART + MANY });
    const { client, child } = await startChild({ folders: [root], initializationOptions: { debounceMs: 0 } });
    const file = path.join(root, 'src/cart.ts');
    await client.open(file);
    expect(codes(await client.diagnosticsFor(file))).toEqual(['long-parameter-list']);
    const stats = (await client.connection.sendRequest('tdd-fast/stats')) as { openDocuments: number; memory: { rss: number } };
    expect(stats.openDocuments).toBe(1);
    expect(stats.memory.rss).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await client.connection.sendRequest('shutdown');
    await client.connection.sendNotification('exit');
    expect(await exited).toBe(0);
    client.connection.dispose();
  });
});
