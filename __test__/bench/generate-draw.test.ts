/**
 * The generator bench's draw (bench/generate/corpus.mjs) and its command line: a seed gives the same packages every
 * time, a third of them several-file TypeScript; a missing corpus is an error naming the file; large source folders
 * are cut to a seeded subset; shipped tests are removed from the copy.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, repoRoot } from '../helpers';

interface CorpusRow {
  name: string;
  version: string;
  source: string;
  kind: string;
}
interface Corpus {
  readCorpus(file: string): CorpusRow[];
  drawSample(corpus: CorpusRow[], size: number, seed: number): CorpusRow[];
  sourceFiles(dir: string, source: string, seed: number): { files: string[]; total: number; capped: boolean };
  removeShippedTests(dir: string, source: string): string[];
  MAX_FILES: number;
}
const load = (): Promise<Corpus> => import(path.join(repoRoot, 'bench', 'generate', 'corpus.mjs'));

const KINDS = ['ts-multi', 'ts-single', 'cjs', 'esm', 'umd'];
function corpusFile(rows = 60): string {
  const lines = ['name\tversion\tsource\tkind\tnote'];
  for (let i = 0; i < rows; i++) lines.push(`pkg-${String(i).padStart(2, '0')}\t1.0.${i}\tsrc\t${KINDS[i % KINDS.length]}\ta package`);
  const dir = makeProject({ 'packages.tsv': `${lines.join('\n')}\n` });
  return path.join(dir, 'packages.tsv');
}

describe('bench:generate draw', () => {
  it('gives the same packages for the same seed, and other packages for another seed', async () => {
    const { readCorpus, drawSample } = await load();
    const corpus = readCorpus(corpusFile());
    const names = (seed: number) => drawSample(corpus, 24, seed).map((p) => p.name);
    expect(names(7)).toEqual(names(7));
    expect(names(7)).not.toEqual(names(8));
    // the order of the corpus's lines does not change a draw
    expect(drawSample([...corpus].reverse(), 24, 7).map((p) => p.name)).toEqual(names(7));
  });

  it('makes a third of the draw several-file TypeScript, without repeating a package', async () => {
    const { readCorpus, drawSample } = await load();
    const drawn = drawSample(readCorpus(corpusFile()), 24, 3);
    expect(drawn).toHaveLength(24);
    expect(drawn.filter((p) => p.kind === 'ts-multi')).toHaveLength(8);
    expect(new Set(drawn.map((p) => p.name)).size).toBe(24);
  });

  it('names the missing corpus file and how to give another', async () => {
    const { readCorpus } = await load();
    expect(() => readCorpus('/nonexistent/packages.tsv')).toThrow(/\/nonexistent\/packages\.tsv does not exist \(pass --corpus/);
  });

  it('exits 2 with the reason when the corpus is missing or the seed is not given', () => {
    const bench = path.join(repoRoot, 'bench', 'generate', 'index.mjs');
    const missing = spawnSync(process.execPath, [bench, '--sample', '4', '--seed', '1', '--corpus', '/nonexistent/packages.tsv'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/packages.tsv does not exist');
    const noSeed = spawnSync(process.execPath, [bench, '--sample', '4'], { encoding: 'utf8' });
    expect(noSeed.status).toBe(2);
    expect(noSeed.stderr).toContain('--sample needs --seed');
  });

  it('measures a large source folder on a seeded subset, and deletes the tests a package ships', async () => {
    const { sourceFiles, removeShippedTests, MAX_FILES } = await load();
    const files: Record<string, string> = { 'src/__tests__/a.test.ts': 'x', 'src/util.spec.ts': 'x', 'src/types.d.ts': 'x' };
    for (let i = 0; i < MAX_FILES + 6; i++) files[`src/m${i}.ts`] = `export const v${i} = ${i};`;
    const dir = makeProject(files);
    expect(removeShippedTests(dir, 'src').sort()).toEqual(['src/__tests__', 'src/util.spec.ts']);
    expect(fs.existsSync(path.join(dir, 'src/util.spec.ts'))).toBe(false);
    const picked = sourceFiles(dir, 'src', 5);
    expect(picked).toMatchObject({ total: MAX_FILES + 6, capped: true });
    expect(picked.files).toHaveLength(MAX_FILES);
    expect(picked.files).not.toContain('src/types.d.ts');
    expect(sourceFiles(dir, 'src', 5).files).toEqual(picked.files);
  });
});
