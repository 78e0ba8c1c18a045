/**
 * Strings in the format the code parses, built from its own constants: a parser that splits on `';'` and then on
 * `'='` and compares the keys with `'expires'` or `'secure'` only reaches those branches with an input such as
 * `'a=b;expires=1'`. Its single-character separators (what it splits on and compares characters with) join its
 * words: a list of pairs, each word as a key with a value, and as a flag on its own. Nothing here comes from a
 * package: only the constants the core found in the code under test (and the functions nested in it).
 */

/** Strings built at most (they join the string pool after the code's own constants). */
const MAX_FORMATTED = 40;
/** Separators and words taken from the code's constants, in their order. */
const MAX_SEPARATORS = 3;
const MAX_WORDS = 16;

const SEPARATOR = /^[^\p{L}\p{N}\s]$/u;
const WORD = /^[A-Za-z][\w-]{0,23}$/;

/** Inputs in the code's format: `a=b;expires=1`, `a=b;secure`, `expires=1` (for separators `;` and `=`). */
export function formattedStrings(constants: string[]): string[] {
  const separators = [...new Set(constants.filter((c) => SEPARATOR.test(c)))].slice(0, MAX_SEPARATORS);
  const words = [...new Set(constants.filter((c) => WORD.test(c)))].slice(0, MAX_WORDS);
  if (separators.length === 0 || words.length === 0) return [];
  const out: string[] = [];
  // one separator: a key with a value, and a list of the words
  const [first] = separators;
  out.push(`${words[0]}${first}1`, words.slice(0, 3).join(first));
  // two: pairs (`a=b`) in a list (`;`), each word as a key with a value and as a flag
  for (const outer of separators) {
    for (const inner of separators) {
      if (outer === inner) continue;
      for (const w of words) out.push(`a${inner}b${outer}${w}${inner}1`, `a${inner}b${outer}${w}`);
    }
  }
  return [...new Set(out)].slice(0, MAX_FORMATTED);
}
