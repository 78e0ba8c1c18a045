/**
 * The workspace folders and what the CLI would use in each: the configuration (tdd-fast.config.json or package.json
 * "tdd-fast", presets, flags' equivalents from the settings), the baseline file, and which files a walk of the folder
 * covers (.gitignore and the config's include/exclude). A file outside every folder gets a project of its own, rooted
 * at its nearest package.json, as `tdd-fast analyze` run there would. A broken config or baseline never stops the
 * server: it becomes a problem shown on that file, and the folder is analysed with the defaults / without a baseline.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { LRUCache } from 'lru-cache';

import { DEFAULT_BASELINE, readBaseline, type Baseline } from '../ci/baseline';
import { CONFIG_FILE, ConfigError, resolveConfig } from '../engine/config';
import { native } from '../engine/native';
import type { Duplicate } from '../engine/types';
import type { ServerSettings } from './settings';

/** A problem with a project's own files (config, baseline), shown as a diagnostic on that file. */
export interface Problem {
  file: string;
  message: string;
}

/** The files whose change means a project must be loaded again. */
export const PROJECT_FILES = new Set([CONFIG_FILE, 'package.json', DEFAULT_BASELINE, '.gitignore', '.ignore', '.tdd-fastignore']);

export class Project {
  configJson = '{}';
  /** The config file in use (it may sit above the root, or have the name of the configFile setting). */
  configFile?: string;
  baseline?: Baseline;
  problems: Problem[] = [];
  /** Cross-file duplicates from the last background scan (scan.ts). */
  duplicates: Duplicate[] = [];
  private listed?: Set<string>;

  constructor(
    readonly root: string,
    private readonly settings: ServerSettings,
  ) {
    this.reload();
  }

  /** Reads the config and baseline again (after a change to them). */
  reload(): void {
    this.problems = [];
    this.listed = undefined;
    this.configFile = undefined;
    try {
      const resolved = resolveConfig(this.root, { config: this.settings.configFile });
      this.configJson = resolved.json;
      this.configFile = resolved.source?.replace(/#tdd-fast$/, '');
    } catch (error) {
      this.configJson = '{}';
      const message = error instanceof Error ? error.message : String(error);
      const file = (error instanceof ConfigError && error.file) || path.join(this.root, this.settings.configFile ?? CONFIG_FILE);
      this.configFile = file;
      this.problems.push({ file, message: `${message}. Until it is fixed, files here are analysed with the defaults.` });
    }
    this.baseline = undefined;
    const baselineFile = path.join(this.root, DEFAULT_BASELINE);
    if (fs.existsSync(baselineFile)) {
      try {
        this.baseline = readBaseline(baselineFile);
      } catch (error) {
        this.problems.push({ file: baselineFile, message: `${(error as Error).message}; findings are shown without it` });
      }
    }
  }

  /** The report path of a file: relative to the root, forward slashes (as in the CLI's reports and the baseline). */
  relative(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/');
  }

  /**
   * Whether `tdd-fast analyze` in this folder would analyse the file (not ignored by .gitignore or the config's
   * include/exclude). A file not on disk yet is analysed: it has nothing to be ignored by but its name.
   */
  covers(file: string): boolean {
    if (!fs.existsSync(file)) return true;
    if (!this.listed) {
      const listed = JSON.parse(native().listFilesJson([this.root], { root: this.root, config: this.configJson })) as Array<{ path: string }>;
      this.listed = new Set(listed.map((f) => f.path));
    }
    return this.listed.has(this.relative(file));
  }

  /** Files were created or deleted: the next `covers` walks the folder again. */
  filesChanged(): void {
    this.listed = undefined;
  }

  contains(file: string): boolean {
    const relative = path.relative(this.root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }
}

/** The nearest folder above `file` with a package.json (else the file's own folder). */
function nearestPackageRoot(file: string): string {
  let dir = path.dirname(file);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(file);
    dir = parent;
  }
}

export class Workspace {
  private folders: Project[] = [];
  /** Projects of files outside every folder; bounded, as a long session may open files from anywhere. */
  private readonly loose = new LRUCache<string, Project>({ max: 32 });

  constructor(private readonly settings: ServerSettings) {}

  setFolders(roots: string[]): void {
    const existing = new Map(this.folders.map((p) => [p.root, p]));
    this.folders = roots.map((root) => existing.get(root) ?? new Project(root, this.settings));
  }

  addFolders(added: string[], removed: string[]): void {
    const kept = this.folders.map((p) => p.root).filter((root) => !removed.includes(root));
    this.setFolders([...kept, ...added.filter((root) => !kept.includes(root))]);
  }

  /** The deepest workspace folder holding the file, else a project at its nearest package.json. */
  projectFor(file: string): Project {
    let best: Project | undefined;
    for (const project of this.folders) {
      if (project.contains(file) && (!best || project.root.length > best.root.length)) best = project;
    }
    if (best) return best;
    const root = nearestPackageRoot(file);
    let project = this.loose.get(root);
    if (!project) {
      project = new Project(root, this.settings);
      this.loose.set(root, project);
    }
    return project;
  }

  projects(): Project[] {
    return [...this.folders, ...this.loose.values()];
  }

  workspaceFolders(): Project[] {
    return [...this.folders];
  }

  /** Whether a change to this file means loading the projects again: a config, baseline or ignore file. */
  isProjectFile(file: string): boolean {
    return PROJECT_FILES.has(path.basename(file)) || this.projects().some((p) => p.configFile === file);
  }
}
