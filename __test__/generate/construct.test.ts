/**
 * Parameters declared as the package's own types, end to end: the built package runs `generate --record` on a
 * fixture (__test__/generate/fixtures/construct/) where a class needs instances of another class declared in a file
 * outside the batch (`Segment(from: Point, to: Point)`), a class is built only through its static factory (a private
 * constructor, `Money.of`), a factory returns an interface with a method (`square(side): Shape`), and an interface of
 * plain data names a class through a tsconfig `paths` alias (`OrderLine.price: Money` from '@fx/money'). The generated
 * tests must be recorded (not TODOs), build those arguments with the package's constructors and factories under the
 * imports a person writes, pass `tsc --noEmit --strict` and pass under a real vitest run.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { repoRoot } from '../helpers';
import { copyFixture, describeBlock, recordBatch, runVitest } from './helpers';

const tscBin = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
const FILES = ['src/segment.ts', 'src/money.ts', 'src/order.ts', 'src/shapes.ts'];

let root = '';
let generated = new Map<string, string>();
let results: Awaited<ReturnType<typeof recordBatch>>['results'];

beforeAll(async () => {
  root = copyFixture('construct', { nodeModules: true });
  ({ results, generated } = await recordBatch(root, FILES));
}, 600_000);

describe('parameters of the package’s own types', () => {
  it('a class that takes another class: built with both constructors, the other one imported from its own file', () => {
    const text = generated.get('src/segment.ts')!;
    expect(text).toContain("import { Point } from './point';");
    expect(describeBlock(text, 'Segment')).toMatch(/const instance = new Segment\(new Point\(-?[\d.]+, -?[\d.]+\), new Point\(/);
    // A function taking the class gets one built the same way, one level deeper.
    expect(describeBlock(text, 'isDegenerate')).toMatch(/expect\(isDegenerate\(new Segment\(new Point\([^)]*\), new Point\([^)]*\)\)\)\)\.toBe\((true|false)\);/);
    expect(text).not.toContain('cannot construct');
  });

  it('a class whose constructor is private is built through its static factory, never with new', () => {
    const text = generated.get('src/money.ts')!;
    expect(describeBlock(text, 'isFree')).toMatch(/expect\(isFree\(Money\.of\(-?\d+, '[^']*'\)\)\)\.toBe\((true|false)\);/);
    expect(text).not.toContain('new Money(');
    expect(generated.get('src/order.ts')).not.toContain('new Money(');
  });

  it('an interface with a method is what the package’s factory returns', () => {
    const text = generated.get('src/shapes.ts')!;
    expect(describeBlock(text, 'describeShape')).toMatch(/expect\(describeShape\(square\(-?[\d.]+\)\)\)\.toBe\('a (small|big) square'\);/);
  });

  it('an interface of plain data is an object literal whose class-typed field is built too, through a tsconfig paths alias', () => {
    const text = generated.get('src/order.ts')!;
    expect(text).toContain("import { Money } from './money';");
    expect(describeBlock(text, 'lineCost')).toMatch(/expect\(lineCost\(\{ sku: '[^']*', qty: -?[\d.]+, price: Money\.of\(-?\d+, '[^']*'\) \}\)\)\.toBe\(-?[\d.]+\);/);
    expect(describeBlock(text, 'totalQty')).toMatch(/totalQty\(\{ id: '[^']*', lines: \[/);
  });

  it('every file is recorded without TODOs, passes tsc --noEmit --strict and passes under vitest', () => {
    for (const file of FILES) {
      const r = results.get(file)!;
      expect(r.errors, file).toEqual([]);
      expect(r.recorded, file).toBeGreaterThan(0);
      expect(generated.get(file), file).not.toContain('TODO(tdd-fast)');
    }
    const tsc = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const json = runVitest(root, { generatedOnly: { testTimeout: 5000 } });
    expect(json.numFailedTests).toBe(0);
    expect(json.numPassedTests).toBeGreaterThan(20);
  });
});
