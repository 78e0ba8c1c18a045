/**
 * Tests of calls that drew from Math.random (emit side): the search ran them with Math.random pinned to a fixed
 * sequence (search-random.ts), so their recorded values hold when the test pins it to the same sequence. Such a test
 * starts with `pinRandom();`; the file declares the helper once and restores Math.random after each test.
 */
import { RANDOM_STEP } from './search-random';

/** The first line of a test whose calls drew random numbers. */
export const PIN_RANDOM = 'pinRandom();';

/** The names imported from vitest, with `names` added (sorted, as the rest of the file writes them). */
export function withVitestNames(lines: string[], names: string[]): string[] {
  const at = lines.findIndex((l) => /^import \{[^}]*\} from 'vitest';$/.test(l));
  if (at < 0) return lines;
  const have = lines[at].replace(/^import \{\s*|\s*\} from 'vitest';$/g, '').split(',').map((n) => n.trim()).filter(Boolean);
  const all = [...new Set([...have, ...names])].sort((a, b) => (a === 'vi' ? 1 : b === 'vi' ? -1 : a.localeCompare(b)));
  const out = [...lines];
  out[at] = `import { ${all.join(', ')} } from 'vitest';`;
  return out;
}

/** The file with the helper and its restore hook when a test pins Math.random (unchanged otherwise). */
export function withRandomPin(lines: string[], typescript: boolean): string[] {
  if (!lines.some((l) => l.trim() === PIN_RANDOM)) return lines;
  const out = withVitestNames(lines, ['afterEach', 'vi']);
  let last = -1;
  out.forEach((l, i) => (/^import\s/.test(l) ? (last = i) : undefined));
  out.splice(
    last + 1,
    0,
    '',
    '/** Math.random as the fixed sequence the test was recorded with (the code under test draws random numbers). */',
    `function pinRandom()${typescript ? ': void' : ''} {`,
    '  let drawn = 0;',
    `  vi.spyOn(Math, 'random').mockImplementation(() => (++drawn * ${RANDOM_STEP}) % 1);`,
    '}',
    '',
    'afterEach(() => {',
    '  vi.restoreAllMocks();',
    '});',
  );
  return out;
}
