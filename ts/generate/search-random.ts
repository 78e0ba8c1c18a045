/**
 * Math.random pinned while the search runs a candidate (child side): every run draws the same fixed sequence from its
 * start, so a function that draws random numbers (a default `random = Math.random`, a shuffle, an id) returns the
 * same values on each run, and its test pins Math.random to the same sequence (emit-random.ts) and asserts them.
 * Whether a run drew at all is noted: only the tests of such runs pin it. The module itself loads with the real one.
 */

/**
 * The golden-ratio sequence 0.618..., 0.236..., 0.854..., spread over (0, 1) (never 0: `Math.random().toString(36)`
 * of 0 is an empty id); the emitted tests compute the same numbers.
 */
export const RANDOM_STEP = 0.6180339887498949;

const realRandom = Math.random;
let drawn = 0;
let drew = false;

function pinned(): number {
  drew = true;
  return (++drawn * RANDOM_STEP) % 1;
}

/** Runs `run` with Math.random pinned to the start of the sequence; returns its result and whether it drew. */
export async function withPinnedRandom<T>(run: () => Promise<T>): Promise<{ value: T; drew: boolean }> {
  drawn = 0;
  drew = false;
  Math.random = pinned;
  try {
    const value = await run();
    return { value, drew };
  } finally {
    Math.random = realRandom;
  }
}

/** Restarts the sequence: a replayed instance draws what the test's instance drew. */
export function restartRandom(): void {
  drawn = 0;
}
