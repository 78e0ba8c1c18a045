import type { AnalysisResult } from '../engine/types';

/** The `--profile` table: thread-time per phase, throughput, peak RSS and cache hit rate. */
export function formatProfile(result: AnalysisResult, wallMs: number, peakRssBytes: number): string {
  const profile = result.profile;
  if (!profile) return '';
  const lines = ['', `profile (${profile.threads} threads; phase times are summed over threads)`];
  for (const { phase, ms } of profile.phases) lines.push(`  ${phase.padEnd(12)}${ms.toFixed(1).padStart(10)} ms`);
  const seconds = wallMs / 1000;
  const mb = profile.bytesRead / (1024 * 1024);
  const { hits, misses } = result.summary.cache;
  const lookups = hits + misses;
  lines.push(
    `  ${'wall'.padEnd(12)}${wallMs.toFixed(1).padStart(10)} ms`,
    `  files/s     ${(result.summary.files / Math.max(seconds, 1e-9)).toFixed(0).padStart(10)}`,
    `  MB/s        ${(mb / Math.max(seconds, 1e-9)).toFixed(1).padStart(10)}   (${profile.filesRead} files read, ${mb.toFixed(2)} MB)`,
    `  peak RSS    ${(peakRssBytes / (1024 * 1024)).toFixed(1).padStart(10)} MB`,
    `  cache       ${lookups ? ((100 * hits) / lookups).toFixed(1) : '0.0'}% hits (${hits} hits, ${misses} misses)`,
    '',
  );
  return lines.join('\n');
}
