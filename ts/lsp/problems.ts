/**
 * Problems with the projects' own files (an unknown rule or key in the config, a config that is not JSON, an
 * unreadable baseline) as diagnostics on those files, cleared once they are fixed.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';

import type { Connection } from 'vscode-languageserver/node';

import { problemDiagnostic } from './diagnostics';
import type { Problem, Project } from './workspace';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Publishes every project's problems; `shown` (the URIs that had problems) is updated, and emptied where fixed. */
export function publishProblems(connection: Connection, projects: Project[], shown: Set<string>): void {
  const byFile = new Map<string, Problem[]>();
  for (const project of projects) {
    for (const problem of project.problems) byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), problem]);
  }
  const now = new Set<string>();
  for (const [file, problems] of byFile) {
    const uri = pathToFileURL(file).toString();
    const text = readText(file);
    now.add(uri);
    connection.sendDiagnostics({ uri, diagnostics: problems.map((p) => problemDiagnostic(p, text)) });
  }
  for (const uri of shown) if (!now.has(uri)) connection.sendDiagnostics({ uri, diagnostics: [] });
  shown.clear();
  for (const uri of now) shown.add(uri);
}
