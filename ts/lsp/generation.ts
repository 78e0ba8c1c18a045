/**
 * "Generate tests" from the editor: the generator in record mode for one function or a whole file, in a child process
 * (generate-worker.ts), reported with `$/progress`, cancellable (from the progress UI or by cancelling the request:
 * the whole process tree ends, vitest included), the written file shown with `window/showDocument`.
 *
 * Only `.generated.test.*` files are ever written: the generator refuses to replace a file without its header, and the
 * server checks that before starting, so a hand-written test of the same name is never touched. Generation reads the
 * file from disk, so a buffer with unsaved edits is refused with a message saying to save it.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

import treeKill from 'tree-kill';
import { CodeLensRefreshRequest, type CancellationToken, type ClientCapabilities } from 'vscode-languageserver';
import type { Connection } from 'vscode-languageserver/node';

import { fileOf } from './analysis';
import { canGenerateFor, generatedTestFile, type GenerateTarget } from './commands';
import type { OpenDocuments } from './documents';
import type { GenerateJob, GenerateOutcome } from './generate-worker';
import { tell } from './messages';
import type { ServerSettings } from './settings';

export interface GenerationResult extends GenerateOutcome {
  cancelled: boolean;
}

/** A reason this target cannot be generated now, in words for the user. */
export class GenerationRefused extends Error {}

/** Runs the worker; resolves when it reports, exits, or `signal` aborts (then the process tree is killed). */
function runWorker(job: GenerateJob, signal: AbortSignal): Promise<GenerationResult> {
  return new Promise((resolve) => {
    // stdout is the protocol's channel in the server: the child's output is kept away from it.
    const child = fork(path.join(__dirname, 'generate-worker.js'), [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stderr = '';
    let settled = false;
    const finish = (result: GenerationResult) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', abort);
      resolve(result);
    };
    const empty = { output: null, written: [], functions: 0, tests: 0, todo: 0 };
    const abort = () => {
      if (child.pid !== undefined) treeKill(child.pid, 'SIGKILL');
      finish({ ...empty, errors: [], cancelled: true });
    };
    child.stdout!.resume();
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('message', (outcome: GenerateOutcome) => finish({ ...outcome, cancelled: false }));
    child.on('error', (error) => finish({ ...empty, errors: [error.message], cancelled: false }));
    child.on('exit', (code, sig) => {
      const why = sig ? `signal ${sig}` : `code ${code}`;
      finish({ ...empty, errors: [`the generator exited (${why}) before reporting${stderr ? `: ${stderr.trim()}` : ''}`], cancelled: false });
    });
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
    child.send(job);
  });
}

export class Generations {
  private readonly running = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly capabilities: ClientCapabilities,
    private readonly documents: OpenDocuments,
    private readonly settings: ServerSettings,
  ) {}

  /** The source file of a target, checked: an existing source file, saved, whose generated file may be written. */
  private check(target: GenerateTarget): { file: string; output: string } {
    const file = target && typeof target.uri === 'string' ? fileOf(target.uri) : null;
    if (!file) throw new GenerationRefused(`cannot generate tests for ${String(target?.uri)}: not a file on disk`);
    if (!canGenerateFor(file)) throw new GenerationRefused(`${path.basename(file)} is a test or declaration file: tests are generated for source files`);
    if (!fs.existsSync(file)) throw new GenerationRefused(`${file} is not saved yet: tests are generated from the file on disk`);
    const open = this.documents.get(target.uri);
    if (open && open.document.getText() !== fs.readFileSync(file, 'utf8')) {
      throw new GenerationRefused(`${path.basename(file)} has unsaved changes: save it first (tests are generated from the file on disk)`);
    }
    const output = generatedTestFile(file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { isGeneratedFile } = require('../generate') as typeof import('../generate');
    if (fs.existsSync(output) && !isGeneratedFile(output)) {
      throw new GenerationRefused(`${path.basename(output)} exists and was written by hand: tdd-fast never replaces it (move or rename it first)`);
    }
    return { file, output };
  }

  async generate(target: GenerateTarget, token: CancellationToken): Promise<GenerationResult> {
    const { file } = this.check(target);
    if (this.running.has(file)) throw new GenerationRefused(`tests for ${path.basename(file)} are already being generated`);
    this.running.add(file);
    try {
      return await this.run(file, target, token);
    } finally {
      this.running.delete(file);
    }
  }

  private async run(file: string, target: GenerateTarget, token: CancellationToken): Promise<GenerationResult> {
    const what = target.function ? `${target.function} (${path.basename(file)})` : path.basename(file);
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    const progress = this.capabilities.window?.workDoneProgress ? await this.connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('tdd-fast', undefined, `Generating tests for ${what}`, true);
    progress?.token.onCancellationRequested(() => controller.abort());
    const started = Date.now();
    const ticker = setInterval(() => progress?.report(`Recording ${what}: ${Math.round((Date.now() - started) / 1000)} s`), 1000);
    try {
      const job = {
        file,
        options: {
          function: target.function,
          record: true,
          recordOptions: { testTimeoutMs: this.settings.testTimeoutMs, vitestBin: this.settings.vitestBin },
        },
      };
      const result = await runWorker(job, controller.signal);
      await this.announce(result, what);
      return result;
    } finally {
      clearInterval(ticker);
      progress?.done();
    }
  }

  /** Opens a file in the editor (showDocument), or says where it is when the client cannot. */
  async show(file: string): Promise<void> {
    if (this.capabilities.window?.showDocument?.support) {
      await this.connection.window.showDocument({ uri: pathToFileURL(file).toString(), takeFocus: true });
    } else {
      tell(this.connection, 'info', `tdd-fast: tests are in ${file}`);
    }
  }

  private async announce(result: GenerationResult, what: string): Promise<void> {
    if (result.cancelled) {
      tell(this.connection, 'info', `tdd-fast: generating tests for ${what} was cancelled`);
      return;
    }
    if (result.errors.length) {
      tell(this.connection, 'error', `tdd-fast: generating tests for ${what} failed: ${result.errors.join('; ')}`);
      return;
    }
    if (!result.output || result.written.length === 0) {
      tell(this.connection, 'warning', `tdd-fast: no tests for ${what} (no function to test)`);
      return;
    }
    // The code lenses now name the generated file.
    if (this.capabilities.workspace?.codeLens?.refreshSupport) await this.connection.sendRequest(CodeLensRefreshRequest.type);
    await this.show(result.output);
  }
}
