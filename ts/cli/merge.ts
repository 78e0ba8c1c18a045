/** `tdd-fast merge-reports <json...>`: its options and what it does (the merge itself is ../ci/merge). */
import * as path from 'node:path';

import { Option, type Command } from 'commander';

import { DEFAULT_BASELINE } from '../ci/baseline';
import { FAIL_ON } from '../ci/gate';
import { mergeReports, readReport } from '../ci/merge';
import { resolveConfig } from '../engine/config';
import type { FormatterName } from '../report';
import { FORMAT_NAMES } from '../report/load';
import { emitReport, gateCode, integer, withBaseline, type CiOptions, type Out } from './ci-options';

interface MergeCommandOptions extends CiOptions {
  config?: string;
  format: FormatterName;
  outputFile?: string;
  color?: boolean;
  functions?: boolean;
}

/** One report from the shards' JSON reports, in any format, through the same gates. */
export function registerMergeCommand(program: Command, io: Out, setExitCode: (code: number) => void): void {
  program
    .command('merge-reports')
    .description('combine the JSON reports of --shard runs into one report (duplicates matched again across all files)')
    .argument('<reports...>', 'JSON reports written by `tdd-fast analyze --shard i/n --format json`')
    .addOption(new Option('-f, --format <name>', 'output format').choices(FORMAT_NAMES).default('json'))
    .option('-o, --output-file <file>', 'write the report to a file instead of stdout')
    .option('-c, --config <file>', 'the configuration the shards used, for its duplicate settings (default: found like analyze does)')
    .option('--max-warnings <n>', 'exit with 1 when there are more warnings than this', integer('--max-warnings'))
    .addOption(new Option('--fail-on <severity>', 'lowest severity that fails the run (exit 1)').choices([...FAIL_ON]).default('error'))
    .option('--baseline <file>', 'only findings not in this baseline file count')
    .option('--update-baseline', `write every finding of the merged report to the baseline file (default ${DEFAULT_BASELINE})`)
    .option('--functions', 'stylish: list every function with its metrics too')
    .option('--no-functions', 'stylish: findings only (the default)')
    .option('--color', 'force colours on')
    .option('--no-color', 'turn colours off (NO_COLOR is honoured too)')
    .action((reports: string[], options: MergeCommandOptions) => {
      const config = resolveConfig(io.cwd, { config: options.config });
      const merged = mergeReports(
        reports.map((r) => readReport(path.resolve(io.cwd, r))),
        { config: config.json },
      );
      for (const warning of merged.warnings ?? []) io.stderr(`tdd-fast: warning: ${warning}\n`);
      const result = withBaseline(merged, options, io);
      emitReport({ result }, options, io);
      setExitCode(gateCode(result, options, io));
    });
}
