/**
 * Cross-file duplicates for the editor: a background scan of each project (scan-worker.ts, a child process) when the
 * server starts, after files are saved or change on disk, and once edits pause. Scans of one project never overlap: a
 * request during a scan runs once more after it. Duplicates describe the open documents as the editor holds them
 * (their unsaved edits included) and every other file as saved.
 */
import { fork } from 'node:child_process';
import * as path from 'node:path';

import type { ScanJob, ScanOutcome } from './scan-worker';
import type { ServerSettings } from './settings';
import type { Project } from './workspace';

function runScan(job: ScanJob): Promise<ScanOutcome> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, 'scan-worker.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    let outcome: ScanOutcome | undefined;
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('message', (message: ScanOutcome) => (outcome = message));
    child.on('error', (error) => resolve({ error: error.message }));
    child.on('exit', (code) => resolve(outcome ?? { error: `the scan exited with code ${code}${stderr ? `: ${stderr.trim()}` : ''}` }));
    child.send(job);
  });
}

export class DuplicateScans {
  private readonly state = new Map<Project, { running: Promise<void>; again: boolean }>();

  constructor(
    private readonly settings: ServerSettings,
    /** Called after a project's duplicates changed (to publish its open documents again). */
    private readonly onScanned: (project: Project) => void,
    private readonly log: (message: string) => void,
    /** The project's open documents with unsaved edits, read when a scan starts. */
    private readonly buffersOf: (project: Project) => ScanJob['buffers'] = () => [],
  ) {}

  /** Scans the project now, or once more after the scan in progress. Resolves when its duplicates are current. */
  request(project: Project): Promise<void> {
    if (!this.settings.duplicates) return Promise.resolve();
    const current = this.state.get(project);
    if (current) {
      current.again = true;
      return current.running;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = this.loop(project, entry).finally(() => this.state.delete(project));
    this.state.set(project, entry);
    return entry.running;
  }

  private async loop(project: Project, entry: { again: boolean }): Promise<void> {
    do {
      entry.again = false;
      const outcome = await runScan({
        root: project.root,
        config: project.configJson,
        threads: this.settings.scanThreads,
        maxFileSize: this.settings.maxFileSize,
        maxNesting: this.settings.maxNesting,
        fileTimeLimit: this.settings.fileTimeLimit,
        buffers: this.buffersOf(project),
      });
      if ('error' in outcome) {
        this.log(`tdd-fast: the duplicate scan of ${project.root} failed: ${outcome.error}`);
      } else if (JSON.stringify(outcome.duplicates) !== JSON.stringify(project.duplicates)) {
        // Most saves change no duplicate: then the open documents' diagnostics stand as published.
        project.duplicates = outcome.duplicates;
        this.onScanned(project);
      }
    } while (entry.again);
  }
}
