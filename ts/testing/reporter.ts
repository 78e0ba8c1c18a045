/**
 * Entry point `tdd-fast/testing/reporter`: the module *is* the reporter class, so vitest can load it by name
 * (`reporters: ['tdd-fast/testing/reporter']` or `[['tdd-fast/testing/reporter', options]]`), from ESM or CJS.
 */
import { PerfReporter } from './perf-reporter';

class TddFastPerfReporter extends PerfReporter {
  static readonly default = TddFastPerfReporter;
  static readonly PerfReporter = PerfReporter;
}

export = TddFastPerfReporter;
