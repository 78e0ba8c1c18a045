import { spawn } from 'node:child_process';
import * as path from 'node:path';

const WRITER = path.join(__dirname, 'fixtures', 'crash-writer.js');

/**
 * Starts the crash writer on `dbPath` (with `extra` arguments, e.g. `large`), SIGKILLs it once it has reported
 * `killAfter` commits, and returns the ids it reported as committed. Rejects when the writer exits on its own.
 */
export function runAndKill(dbPath: string, killAfter: number, extra: string[] = []): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, dbPath, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    const committed: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (match) committed.push(Number(match[1]));
      }
      if (committed.length >= killAfter && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (code ${code}): ${stderr}`));
      else resolve(committed);
    });
  });
}
