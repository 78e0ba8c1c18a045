/**
 * What the search did before it loaded the module, done by the test file too: the build-time flags it defined
 * (ambient-globals.ts) are defined before the imports run (`vi.hoisted` is moved above the imports by vitest), with a
 * comment that says where they are declared; the package entry it imported first (cycle-entry.ts) is imported first.
 */
import { defineSource, type AmbientGlobal } from './ambient-globals';
import { entrySpecifier } from './cycle-entry';

/** The lines with the package entry imported right after vitest's import, before the module under test. */
export function withEntry(lines: string[], entry: string | null | undefined, output: string | undefined): string[] {
  if (!entry || !output) return lines;
  const out = [...lines];
  const vitest = out.findIndex((l) => /^import \{[^}]*\} from 'vitest';$/.test(l));
  out.splice(vitest + 1, 0, `// The module is in an import cycle that loads in order from the package's entry, as the project's tests load it.`, `import '${entrySpecifier(output, entry)}';`);
  return out;
}

/** The lines with the flags defined after the file's imports (`vi` added to the vitest import). */
export function withGlobals(lines: string[], globals: AmbientGlobal[] | undefined): string[] {
  if (!globals?.length) return lines;
  const out = [...lines];
  const vitest = out.findIndex((l) => /^import \{[^}]*\} from 'vitest';$/.test(l));
  if (vitest >= 0 && !/\bvi\b/.test(out[vitest])) out[vitest] = out[vitest].replace(/ \} from 'vitest';$/, ", vi } from 'vitest';");
  let last = -1;
  out.forEach((l, i) => (/^import\s/.test(l) ? (last = i) : undefined));
  const from = [...new Set(globals.map((g) => g.from))].join(', ');
  out.splice(last + 1, 0, `// Declared in ${from} and defined by the project's build, not at run time: defined here before the imports run.`, `vi.hoisted(() => ${defineSource(globals)});`);
  return out;
}
