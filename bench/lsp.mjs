#!/usr/bin/env node
// The language server's latency and memory, measured by a client as an editor sees them (issue #23's targets):
//   - didChange -> publishDiagnostics (debounce off) on a ~1,000-line TypeScript file: p50, p99;
//   - hover on function names: p50, p99;
//   - the server's RSS after every source file of a corpus was opened once (closed again after its diagnostics, as
//     when browsing; with --keep-open all stay open, the documents' text then counts too).
// It starts `tdd-fast lsp --stdio` (the built package) and talks to it with vscode-languageserver-protocol.
//
//   npm run bench:lsp -- --corpus /work/corpora/effect/package         # `npm pack effect`, unpacked
//   node bench/lsp.mjs --corpus <dir> --file src/ByteSize.ts --edits 500 --seed 7
//
// Edits are deterministic (seeded): each inserts a comment line at a random line, the next removes it, so the file
// stays what it was and every analysis is a full one. After each round trip the same text goes through the core's
// `analyzeSource` in this process (A B A B), so the server's own share of the time shows beside the analysis. The duplicate scan is off unless --duplicates (it runs in a
// child process of its own, whose memory is not the server's).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const { analyzeSource } = require('../dist/engine/api.js');

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const corpus = path.resolve(option('--corpus', '/work/corpora/effect/package'));
const target = path.join(corpus, option('--file', 'src/ByteSize.ts'));
const edits = Number(option('--edits', '400'));
const hovers = Number(option('--hovers', '400'));
let seed = Number(option('--seed', '1'));
const duplicates = args.includes('--duplicates');
const keepOpen = args.includes('--keep-open');

/** mulberry32: a small seeded generator, so a run can be repeated exactly. */
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const f = (x) => x.toFixed(2);
  return `p50 ${f(quantile(sorted, 0.5))} ms, p99 ${f(quantile(sorted, 0.99))} ms, max ${f(sorted.at(-1))} ms (n=${sorted.length})`;
}

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

function sourceFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...sourceFiles(full));
    } else if (/\.[cm]?tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} cores)`);
// --expose-gc: the stats request collects garbage before it reports the heap (RSS is read before that).
const child = spawn(process.execPath, ['--expose-gc', path.join(REPO, 'bin', 'tdd-fast.js'), 'lsp', '--stdio'], { cwd: corpus, stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
connection.onNotification('textDocument/publishDiagnostics', (p) => {
  const key = `${p.uri}#${p.version}`;
  waiting.get(key)?.(p);
  waiting.delete(key);
});
connection.onNotification('window/logMessage', (p) => p.type === 1 && console.error(`server: ${p.message}`));
connection.listen();
const published = (uri, version) => new Promise((resolve) => waiting.set(`${uri}#${version}`, resolve));

await connection.sendRequest('initialize', {
  processId: process.pid,
  rootUri: pathToFileURL(corpus).toString(),
  workspaceFolders: [{ uri: pathToFileURL(corpus).toString(), name: 'corpus' }],
  capabilities: {},
  initializationOptions: { debounceMs: 0, duplicates },
});
await connection.sendNotification('initialized', {});

// 1. Edits of one ~1,000-line file.
const text = fs.readFileSync(target, 'utf8');
const lineCount = text.split('\n').length;
const uri = pathToFileURL(target).toString();
let version = 1;
let done = published(uri, version);
await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version, text } });
const first = await done;
console.log(`${path.relative(corpus, target)}: ${lineCount} lines, ${first.diagnostics.length} diagnostics`);
const changeMs = [];
const coreMs = [];
const lines = text.split('\n');
const relative = path.relative(corpus, target);
let lastAt;
for (let i = 0; i < edits + 20; i++) {
  const line = Math.floor(random() * (lineCount - 1));
  const at = { line, character: 0 };
  const insert = i % 2 === 0;
  const change = insert ? { range: { start: at, end: at }, text: `// bench edit ${i}\n` } : { range: { start: lastAt, end: { line: lastAt.line + 1, character: 0 } }, text: '' };
  if (insert) {
    lastAt = at;
    lines.splice(line, 0, `// bench edit ${i}`);
  } else {
    lines.splice(lastAt.line, 1);
  }
  version++;
  done = published(uri, version);
  const started = performance.now();
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
  await done;
  const roundTrip = performance.now() - started;
  const coreStarted = performance.now();
  analyzeSource(lines.join('\n'), relative, { root: corpus });
  const core = performance.now() - coreStarted;
  if (i >= 20) {
    // the first 20 warm the JIT
    changeMs.push(roundTrip);
    coreMs.push(core);
  }
}
console.log(`didChange -> publishDiagnostics: ${summary(changeMs)}`);
console.log(`  the core's analyzeSource alone, same texts, alternating: ${summary(coreMs)}`);

// 2. Hover on function names.
const names = [];
text.split('\n').forEach((l, line) => {
  const m = /\bfunction\s+([A-Za-z_$][\w$]*)|\bconst\s+([A-Za-z_$][\w$]*)\s*=\s*(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*(?::[^=]*)?=>/.exec(l);
  if (m) names.push({ line, character: m.index + m[0].indexOf(m[1] ?? m[2]) + 1 });
});
const hoverMs = [];
let answered = 0;
for (let i = 0; i < hovers + 20; i++) {
  const position = names[Math.floor(random() * names.length)];
  const started = performance.now();
  const hover = await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  if (i >= 20) hoverMs.push(performance.now() - started);
  if (hover) answered++;
}
console.log(`hover: ${summary(hoverMs)}, ${answered} of ${hovers + 20} on a function (${names.length} names)`);

// 3. Memory after every source file was opened once.
const files = sourceFiles(path.join(corpus, 'src'));
let bytes = 0;
const openStarted = performance.now();
for (const file of files) {
  const content = fs.readFileSync(file, 'utf8');
  bytes += Buffer.byteLength(content);
  const fileUri = pathToFileURL(file).toString();
  const shown = published(fileUri, 1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: fileUri, languageId: 'typescript', version: 1, text: content } });
  await shown;
  if (!keepOpen) await connection.sendNotification('textDocument/didClose', { textDocument: { uri: fileUri } });
}
const openedMs = performance.now() - openStarted;
const mem = memory(child.pid);
console.log(
  `opened ${files.length} files (${(bytes / 1e6).toFixed(1)} MB) in ${(openedMs / 1000).toFixed(1)} s, ${keepOpen ? 'all kept open' : 'each closed again'}: ` +
    `server RSS ${mem.rss.toFixed(0)} MB, peak ${mem.peak.toFixed(0)} MB`,
);
const stats = await connection.sendRequest('tdd-fast/stats');
const mb = (n) => (n / 1e6).toFixed(0);
console.log(
  `  then, garbage collected: RSS ${mb(stats.memory.rss)} MB, JavaScript heap ${mb(stats.memory.heapUsed)} MB used of ${mb(stats.memory.heapTotal)} MB, ` +
    `external ${mb(stats.memory.external)} MB; ${stats.openDocuments} documents open`,
);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
connection.dispose();
