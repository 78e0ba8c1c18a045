import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TddOrchestrator, type GenerateResult, type TddEngine } from '../../dist/session/orchestrator';
import type { AnalysisResult, FileReport } from '../../dist/engine/types';
import { skipWithoutBuild } from '../helpers';

const nativeDir = path.join(__dirname, '..', '..', 'native');
const nativeAvailable =
  fs.existsSync(nativeDir) &&
  fs.readdirSync(nativeDir).some((file) => file.endsWith('.node')) &&
  fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'engine', 'api.js'));

let projectRoot: string;
let orchestrator: TddOrchestrator | undefined;

beforeEach(() => {
  projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tdd-fast-orchestrator-'));
});

afterEach(() => {
  orchestrator?.close();
  orchestrator = undefined;
  fs.rmSync(projectRoot, { recursive: true, force: true });
});

function fileReport(relativePath: string, smells: string[]): FileReport {
  return {
    path: relativePath,
    language: 'ts',
    hash: `${relativePath}:${smells.join(',')}`,
    lines: 10,
    errors: [],
    functions: [],
    smells: smells.map((id) => ({
      id,
      line: 1,
      endLine: 2,
      severity: 'warning' as const,
      message: id,
      function: 'f',
      value: 1,
      threshold: 0,
    })),
  };
}

/**
 * FAKE engine, for the orchestrator's bookkeeping only: it returns scripted reports so the counts are known.
 * End-to-end behaviour with the real native core is tested below.
 */
function scriptedFakeEngine(reports: FileReport[][]): TddEngine & { calls: string[] } {
  const calls: string[] = [];
  let analysis = 0;
  const generated = (file: string): GenerateResult => ({
    file,
    written: [file.replace(/\.ts$/, '.test.ts')],
    tests: 3,
    errors: [],
  });
  return {
    calls,
    async analyzeFiles(paths): Promise<AnalysisResult> {
      calls.push(`analyze ${paths.map((p) => path.relative(projectRoot, p)).join(',')}`);
      const files = reports[Math.min(analysis++, reports.length - 1)]!;
      const smells = files.reduce((sum, file) => sum + file.smells.length, 0);
      return {
        version: 1,
        files,
        duplicates: [],
        summary: { files: files.length, functions: 0, smells, errors: 0, cache: { hits: 0, misses: files.length }, ms: 1 },
      };
    },
    async generateTests(file) {
      calls.push(`generate ${path.relative(projectRoot, file)}`);
      return generated(file);
    },
    async generateTestsBatch(files) {
      calls.push(`batch ${files.map((f) => path.relative(projectRoot, f)).join(',')}`);
      return files.map(generated);
    },
    getCacheStats: () => ({ hits: 5, misses: 1, evictions: 0, entries: 1, bytes: 100, hitRate: 5 / 6 }),
    clearCaches: () => calls.push('clear'),
  };
}

describe('TddOrchestrator bookkeeping (with a scripted FAKE engine)', () => {
  it('records analyses, generation and phases into a summary', async () => {
    const engine = scriptedFakeEngine([
      [fileReport('src/a.ts', ['long-function', 'magic-number']), fileReport('src/b.ts', [])],
      [fileReport('src/a.ts', ['magic-number'])],
    ]);
    orchestrator = new TddOrchestrator({ projectRoot, engine });
    orchestrator.startSession('cart');
    orchestrator.recordPhase('red', { test: 'adds items' });
    await orchestrator.analyze(['src']);
    await orchestrator.generateTests('src/a.ts');
    orchestrator.recordPhase('green');
    await orchestrator.analyze('src/a.ts');
    orchestrator.recordPhase('refactor');

    const summary = orchestrator.summary();
    expect(summary).toMatchObject({
      filesAnalysed: 2,
      analyses: 2,
      smellsFound: 1,
      smellsFixed: 1,
      testsGenerated: 3,
      testFilesWritten: 1,
      phases: { red: 1, green: 1, refactor: 1 },
      cycles: 1,
      currentPhase: 'refactor',
      cache: { hits: 5, misses: 1 },
    });
    expect(engine.calls).toEqual(['analyze src', 'generate src/a.ts', 'analyze src/a.ts']);
    const generatedEvent = orchestrator.store.listEvents(summary.session.id, { kind: 'generated' })[0];
    expect(generatedEvent?.data).toMatchObject({ files: ['src/a.test.ts'], tests: 3 });
  });

  it('generateTestsModule generates for the source files the engine found, skipping test files', async () => {
    const engine = scriptedFakeEngine([[fileReport('lib/x.ts', []), fileReport('lib/x.test.ts', []), fileReport('lib/y.ts', [])]]);
    orchestrator = new TddOrchestrator({ projectRoot, engine });
    orchestrator.startSession('module');
    const results = await orchestrator.generateTestsModule('lib');
    expect(results.map((r) => path.relative(projectRoot, r.file))).toEqual(['lib/x.ts', 'lib/y.ts']);
    expect(engine.calls).toEqual(['analyze lib', 'batch lib/x.ts,lib/y.ts']);
    expect(orchestrator.summary().testsGenerated).toBe(6);
  });

  it('with cache: false clears the engine caches before each analysis', async () => {
    const engine = scriptedFakeEngine([[fileReport('a.ts', [])]]);
    orchestrator = new TddOrchestrator({ projectRoot, engine, cache: false });
    await orchestrator.analyze('a.ts');
    expect(engine.calls).toEqual(['clear', 'analyze a.ts']);
  });

  it('analyses without a session but records nothing; phases need a session', async () => {
    orchestrator = new TddOrchestrator({ projectRoot, engine: scriptedFakeEngine([[fileReport('a.ts', [])]]) });
    await expect(orchestrator.analyze('a.ts')).resolves.toMatchObject({ version: 1 });
    expect(() => orchestrator!.recordPhase('red')).toThrow(/No session: call startSession/);
    expect(() => orchestrator!.summary()).toThrow(/No session/);
    expect(orchestrator.store.countSessions()).toBe(0);
  });

  it('resumes a session by name in a new orchestrator (another process, after a crash or close)', async () => {
    const first = new TddOrchestrator({ projectRoot, engine: scriptedFakeEngine([[fileReport('a.ts', ['x'])]]) });
    const started = first.startSession('long-running', { todo: ['edge cases'] });
    first.recordPhase('red');
    first.close(); // no endSession: the session stays active on disk

    orchestrator = new TddOrchestrator({ projectRoot, engine: scriptedFakeEngine([[fileReport('a.ts', [])]]) });
    const resumed = orchestrator.resumeSession('long-running');
    expect(resumed.id).toBe(started.id);
    expect(orchestrator.getContext()).toEqual({ todo: ['edge cases'] });
    orchestrator.recordPhase('green');
    const summary = orchestrator.endSession();
    expect(summary).toMatchObject({ cycles: 1, session: { status: 'ended' } });
    expect(() => orchestrator!.resumeSession('nope')).toThrow(/No session 'nope'/);
  });

  it('starting a session ends the previous one and applies retention unless turned off', () => {
    orchestrator = new TddOrchestrator({ projectRoot, retention: { maxSessions: 2 }, engine: scriptedFakeEngine([[]]) });
    const first = orchestrator.startSession('one');
    orchestrator.startSession('two');
    expect(orchestrator.store.getSession(first.id)?.status).toBe('ended');
    orchestrator.startSession('three');
    expect(orchestrator.store.listSessions().map((s) => s.name)).toEqual(['three', 'two']);
    orchestrator.close();

    orchestrator = new TddOrchestrator({ projectRoot, retention: false, engine: scriptedFakeEngine([[]]) });
    for (const name of ['four', 'five', 'six']) orchestrator.startSession(name);
    expect(orchestrator.store.countSessions()).toBe(5);
  });

  it('needs a projectRoot', () => {
    expect(() => new TddOrchestrator(undefined as never)).toThrow(/projectRoot/);
  });
});

describe.skipIf(skipWithoutBuild(nativeAvailable, 'the native addon (npm run build:native) and dist/ (npm run build:ts)'))('TddOrchestrator with the native core', () => {
  it('analyses real files, records them, and survives a second orchestrator reading the session', async () => {
    fs.mkdirSync(path.join(projectRoot, 'src'));
    fs.writeFileSync(
      path.join(projectRoot, 'src', 'cart.ts'),
      'export function total(items: { price: number }[] | null) {\n  if (items == null) return 0;\n' +
        '  let sum = 0;\n  for (const item of items) sum += item.price;\n  return sum;\n}\n',
    );
    fs.writeFileSync(path.join(projectRoot, 'src', 'util.js'), 'export const id = (x) => x;\n');

    orchestrator = new TddOrchestrator({ projectRoot, threads: 2 });
    const session = orchestrator.startSession('native');
    orchestrator.recordPhase('red');
    const result = await orchestrator.analyze(['src']);
    expect(result.files.map((f) => f.path).sort()).toEqual(['src/cart.ts', 'src/util.js']);
    orchestrator.recordPhase('green');

    const summary = orchestrator.summary();
    const smellsInResult = result.files.reduce((sum, file) => sum + file.smells.length, 0);
    expect(summary).toMatchObject({ filesAnalysed: 2, analyses: 1, smellsFound: smellsInResult, cycles: 1 });

    // What another process (e.g. `tdd-fast session status`) sees.
    const { SessionStore } = await import('../../dist/session/store');
    const reader = SessionStore.open({ projectRoot });
    try {
      expect(reader.summarize(session.id)).toMatchObject({ filesAnalysed: 2, phases: { red: 1, green: 1 } });
    } finally {
      reader.close();
    }
  });
});
