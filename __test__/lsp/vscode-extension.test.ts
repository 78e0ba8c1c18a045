/**
 * The VS Code extension (editors/vscode) type-checks against VS Code's API, packages into a .vsix with @vscode/vsce
 * (so packaging cannot rot), and the server bundled in that .vsix, unpacked outside the repository, serves an editor.
 * No network: vsce and the extension's dependencies come from the repository's own npm install.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

import { initializationOptions, type SettingsReader } from '../../editors/vscode/src/init-options';
import { serverModule } from '../../editors/vscode/src/server-module';
import { settingsFrom } from '../../ts/lsp/settings';
import { makeProject, repoRoot } from '../helpers';
import { startChild } from './client';

const extension = path.join(repoRoot, 'editors', 'vscode');
/** The extension's settings as VS Code reads them: the user's values, else the manifest's defaults. */
function settingsReader(user: Record<string, unknown> = {}): SettingsReader {
  const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
  const properties = manifest.contributes.configuration.properties;
  return { get: <T>(key: string, fallback: T) => (key in user ? user[key] : (properties[`tdd-fast.${key}`]?.default ?? fallback)) as T };
}

const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

interface ZipFile {
  readEntry(): void;
  on(event: 'entry', listener: (entry: { fileName: string }) => void): void;
  on(event: 'end' | 'error', listener: (error?: Error) => void): void;
  openReadStream(entry: { fileName: string }, callback: (error: Error | null, stream: NodeJS.ReadableStream) => void): void;
}

/** Unpacks a zip (a .vsix) with yauzl, the reader vsce itself uses; resolves to the entries' names. */
function unzip(file: string, into: string): Promise<string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yauzl = require(require.resolve('yauzl', { paths: [path.dirname(vsce)] })) as {
    open(file: string, options: { lazyEntries: boolean }, callback: (error: Error | null, zip: ZipFile) => void): void;
  };
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(names));
      zip.on('entry', (entry) => {
        names.push(entry.fileName);
        const target = path.join(into, entry.fileName);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          stream.pipe(fs.createWriteStream(target)).on('finish', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  });
}

describe('the VS Code extension', () => {
  it("starts the workspace's own tdd-fast when a folder installs it, and the bundled server otherwise", () => {
    const bundled = '/extension/server/bin/tdd-fast.js';
    const plain = makeProject({ 'package.json': '{"name":"plain"}' });
    const installs = makeProject({ 'package.json': '{"name":"installs"}', 'node_modules/tdd-fast/bin/tdd-fast.js': '' });
    expect(serverModule([plain], bundled)).toEqual({ module: bundled, from: 'bundled' });
    expect(serverModule([], bundled)).toEqual({ module: bundled, from: 'bundled' });
    const own = { module: path.join(installs, 'node_modules', 'tdd-fast', 'bin', 'tdd-fast.js'), from: 'workspace' };
    expect(serverModule([plain, installs], bundled)).toEqual(own);
  });

  it("passes each of its settings (but nodePath, the client's own) to the server under the server's name, with the server's defaults", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(extension, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } } };
    const settings = Object.keys(manifest.contributes.configuration.properties).map((key) => key.replace(/^tdd-fast\./, ''));
    expect(settings).toContain('duplicateScanDelayMs');
    const options = initializationOptions(settingsReader());
    expect(Object.keys(options).sort()).toEqual(settings.filter((key) => key !== 'nodePath').sort());
    // Nothing set: what the server does for a client that sends nothing.
    expect(settingsFrom(options)).toEqual(settingsFrom({}));
    // What the user sets reaches the server.
    const user = { debounceMs: 0, duplicateScanDelayMs: 250, duplicates: false, maxFileSize: 4096, configFile: 'lint/tdd-fast.json' };
    expect(settingsFrom(initializationOptions(settingsReader(user)))).toMatchObject(user);
  });

  it('type-checks against the VS Code API and vscode-languageclient', () => {
    const tsc = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(extension, 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 120_000);

  it('packages into a .vsix whose bundled server, unpacked elsewhere, serves diagnostics, hover and code lens', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-vsix-'));
    const vsix = path.join(out, 'tdd-fast.vsix');
    const target = `${process.platform}-${process.arch}`;
    const run = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--target', target, '--out', vsix], {
      cwd: extension,
      encoding: 'utf8',
      input: '',
      timeout: 240_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const names = await unzip(vsix, path.join(out, 'unpacked'));
    expect(names).toEqual(expect.arrayContaining(['extension/package.json', 'extension/dist/extension.js', 'extension/server/bin/tdd-fast.js', 'extension/server/dist/lsp/server.js']));
    expect(names.some((n) => /^extension\/server\/native\/.*\.node$/.test(n))).toBe(true);
    // The extension is one file: vscode-languageclient inside, only the host's `vscode` outside.
    const bundle = fs.readFileSync(path.join(out, 'unpacked', 'extension', 'dist', 'extension.js'), 'utf8');
    expect(bundle).not.toMatch(/require\(["']vscode-languageclient/);
    expect(bundle).toMatch(/require\(["']vscode["']\)/);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'unpacked', 'extension', 'package.json'), 'utf8')) as { main: string; engines: { vscode: string } };
    expect(manifest.main).toBe('./dist/extension.js');

    // The bundled server, outside the repository (nothing resolves from its node_modules), as the extension starts it.
    const root = makeProject({
      'package.json': '{"name":"p"}',
      'src/cart.ts': 'export function total(items: number[] | null) {\n  if (items == null) return 0;\n  return items.length;\n}\nexport function many(a, b, c, d, e, f) {\n  return a;\n}\n',
    });
    const cli = path.join(out, 'unpacked', 'extension', 'server', 'bin', 'tdd-fast.js');
    const { client, child } = await startChild({ folders: [root], initializationOptions: initializationOptions(settingsReader({ debounceMs: 0 })) }, cli);
    try {
      const file = path.join(root, 'src', 'cart.ts');
      await client.open(file);
      const published = await client.diagnosticsFor(file);
      expect(published.diagnostics.map((d) => d.code)).toEqual(['long-parameter-list']);
      expect(await client.hover(file, 0, 18)).not.toBeNull();
      expect((await client.codeLens(file)).map((l) => l.command!.title)).toEqual(['1 edge case · Generate tests', '0 edge cases · Generate tests']);
      await client.connection.sendRequest('shutdown');
    } finally {
      client.connection.dispose();
      child.kill();
    }
  }, 300_000);
});
