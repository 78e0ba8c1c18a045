/**
 * Constants that both the command definitions (option defaults, help text, validation) and the modules doing the
 * work need. No runtime imports: defining the CLI's commands reads these without loading session/ or generate/
 * (which re-export them).
 */
import type { Scenario } from '../generate/plan';
import type { RetentionPolicy } from '../session/types';

/** Session retention when none is given: `session start` and `watch` apply it, `session cleanup` shows it as defaults. */
export const DEFAULT_RETENTION: Required<RetentionPolicy> = { maxSessions: 100, maxAgeDays: 30 };

/** The test scenarios `generate` plans, in order. */
export const ALL_SCENARIOS: Scenario[] = ['edge_cases', 'domain_knowledge', 'happy_path'];

/**
 * A test file, by name: `*.test.*` and `*.spec.*` with a JavaScript or TypeScript extension (vitest's and jest's
 * default include patterns). The one pattern every command that skips or picks test files uses.
 */
export const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** A TypeScript declaration file (`.d.ts`, `.d.mts`, `.d.cts`): types only, nothing to test. */
export const DECLARATION_FILE = /\.d\.[cm]?ts$/;
