import type { AnalysisResult, FileReport, FunctionReport, Smell } from '../../ts/engine/types';

/** Synthetic results with every kind of finding, for the formats the engine does not fill yet. */

export function fn(name: string, line: number, metrics: Partial<FunctionReport['metrics']> = {}, patterns: FunctionReport['patterns'] = []): FunctionReport {
  const m = { cyclomatic: 1, cognitive: 0, maxDepth: 0, params: 1, statements: 1, lines: 3, maxNestedCallbacks: 0, ...metrics };
  return {
    name,
    kind: 'function',
    line,
    endLine: line + m.lines - 1,
    column: 1,
    exported: true,
    async: false,
    generator: false,
    params: [{ name: 'items', type: 'Item[]', optional: false, defaultValue: null, rest: false }],
    metrics: m,
    patterns,
  };
}

export function smell(id: string, line: number, severity: Smell['severity'], fnName: string | null, message = `${id} smell`): Smell {
  return { id, line, endLine: line + 10, severity, message, function: fnName, value: 12, threshold: 10 };
}

export function file(path: string, functions: FunctionReport[], smells: Smell[] = [], errors: FileReport['errors'] = []): FileReport {
  return { path, language: 'ts', hash: 'abc123', lines: 120, errors, functions, smells };
}

export function syntheticResult(): AnalysisResult {
  const files: FileReport[] = [
    file(
      'src/cart.ts',
      [
        fn('Cart.total', 12, { cyclomatic: 14, cognitive: 22, maxDepth: 4, lines: 60, statements: 30 }, [
          { id: 'null-check', line: 14, confidence: 0.9, subject: 'items', values: ['null', 'undefined'] },
          { id: 'empty-collection', line: 15, confidence: 0.8, subject: 'items', values: ['[]'] },
          { id: 'boundary', line: 20, confidence: 0.7, subject: 'discount', values: ['0', '100', '101'] },
        ]),
        fn('Cart.add', 80, { cyclomatic: 3, cognitive: 2, lines: 8 }, [
          { id: 'negative-number', line: 82, confidence: 0.6, subject: 'qty', values: ['-1', '0'] },
        ]),
      ],
      [
        smell('long-function', 12, 'warning', 'Cart.total', 'Function Cart.total has 60 lines (max 50).'),
        smell('cognitive-complexity', 12, 'error', 'Cart.total', 'Cognitive complexity 22 (max 15) <script>alert(1)</script>'),
        smell('deep-nesting', 18, 'warning', 'Cart.total', 'Blocks nested 4 deep (max 3).'),
      ],
    ),
    file('src/util.ts', [fn('slug', 1, { lines: 4 }), fn('pad', 6, { cyclomatic: 5, cognitive: 6, lines: 25 })], [
      smell('too-many-params', 6, 'info', 'pad', 'pad has 6 parameters, "max" 4, 100% & more'),
    ]),
    file('src/broken.ts', [], [], [{ message: 'Expected `)` but found `}`', line: 3, column: 7 }]),
    file('src/clean.ts', [fn('ok', 1)]),
  ];
  return {
    version: 1,
    files,
    duplicates: [
      {
        lines: 12,
        tokens: 80,
        locations: [
          { path: 'src/util.ts', line: 6, endLine: 17 },
          { path: 'src/cart.ts', line: 80, endLine: 91 },
        ],
      },
    ],
    summary: { files: 4, functions: 5, smells: 4, errors: 1, cache: { hits: 1, misses: 3 }, ms: 7 },
    warnings: [],
  };
}
