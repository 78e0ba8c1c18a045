/**
 * The child process of one "Generate tests" action: it runs the generator's public entry point (`generateTests`, in
 * record mode) and sends back what it wrote. Generation runs the project's code and vitest; in a child the server can
 * cancel it by ending the process tree, and a generator crash ends this process, never the server.
 */
import type { GenerateOptions } from '../generate';

export interface GenerateJob {
  file: string;
  options: GenerateOptions;
}

/** What the server shows: the fields of GenerateResult an editor needs. */
export interface GenerateOutcome {
  output: string | null;
  written: string[];
  functions: number;
  tests: number;
  todo: number;
  recorded?: number;
  dropped?: number;
  errors: string[];
}

async function run(job: GenerateJob): Promise<GenerateOutcome> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateTests } = require('../generate') as typeof import('../generate');
  const r = await generateTests(job.file, job.options);
  return {
    output: r.output,
    written: r.written,
    functions: r.functions,
    tests: r.tests,
    todo: r.todo,
    recorded: r.recorded,
    dropped: r.dropped,
    errors: r.errors,
  };
}

if (process.send) {
  process.once('message', (job: GenerateJob) => {
    run(job)
      .catch((error: unknown): GenerateOutcome => {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        return { output: null, written: [], functions: 0, tests: 0, todo: 0, errors: [message] };
      })
      // Exit once sent: a handle the generator left open must not keep this process alive.
      .then((outcome) => process.send!(outcome, () => process.exit(0)));
  });
}
