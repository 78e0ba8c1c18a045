#!/usr/bin/env node
// Opt-in agreement check: our per-function metrics against the reference rules users trust.
//
//   node bench/agreement.mjs [corpusDir]
//
// Installs ESLint 10, typescript-eslint, eslint-plugin-sonarjs and a real TypeScript code base (rxjs@7 and zod@4,
// which ship their src/) into bench/.corpora/agreement (gitignored; exact versions below, reinstalled when they change), runs ESLint with complexity, max-depth, max-params,
// max-statements, max-lines-per-function, max-nested-callbacks and sonarjs/cognitive-complexity at threshold 0,
// runs `tdd-fast analyze --format json` on the same files, matches functions by file + the line/column ESLint
// reports for the function head, and prints the agreement per metric (and the first disagreements).
//
// Each reference rule is wrapped so every report is attributed to the function it belongs to (the reported function
// node itself, or the innermost enclosing function for max-depth), keyed by ESLint's own getFunctionHeadLoc.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const corpora = path.join(here, '.corpora', 'agreement');
// tdd-fast follows ESLint 10's metrics (docs/metrics.md): compare against exactly that.
const deps = [
  'eslint@10.15.0',
  'typescript-eslint@8.74.0',
  'eslint-plugin-sonarjs@4.2.2',
  'typescript@5.9.3',
  'rxjs@7.8.2',
  'zod@4.6.7',
];
const installed = (name) => {
  try {
    return JSON.parse(readFileSync(path.join(corpora, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
};
const stale = deps.some((dep) => {
  const at = dep.lastIndexOf('@');
  return installed(dep.slice(0, at)) !== dep.slice(at + 1);
});
if (stale) {
  mkdirSync(corpora, { recursive: true });
  writeFileSync(path.join(corpora, 'package.json'), '{"name":"corpora","private":true}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...deps], { cwd: corpora, stdio: 'inherit' });
}
const req = createRequire(path.join(corpora, 'package.json'));
const { ESLint } = req('eslint');
const tseslint = req('typescript-eslint');
const sonarjs = req('eslint-plugin-sonarjs');
const astUtils = req(path.join(corpora, 'node_modules/eslint/lib/rules/utils/ast-utils.js'));
const builtin = (name) => req(path.join(corpora, 'node_modules/eslint/lib/rules', `${name}.js`));

// ESLint never lints inside node_modules: copy the code bases' sources out of it.
for (const pkg of ['rxjs', 'zod']) {
  const to = path.join(corpora, 'src', pkg);
  if (!existsSync(to)) cpSync(path.join(corpora, 'node_modules', pkg, 'src'), to, { recursive: true });
}
// ESLint lints nothing outside its cwd: a directory given from elsewhere (bench/agreement-cases) is copied in first.
const inCorpora = (dir) => {
  const abs = path.resolve(dir);
  if (!path.relative(corpora, abs).startsWith('..')) return abs;
  const to = path.join(corpora, 'external', path.basename(abs));
  cpSync(abs, to, { recursive: true });
  return to;
};
const targets = process.argv[2] ? [inCorpora(process.argv[2])] : [path.join(corpora, 'src')];

// metric name in our output -> [rule, data key]
const METRICS = {
  cyclomatic: [builtin('complexity'), 'complexity'],
  maxDepth: [builtin('max-depth'), 'depth'],
  params: [builtin('max-params'), 'count'],
  statements: [builtin('max-statements'), 'count'],
  lines: [builtin('max-lines-per-function'), 'lineCount'],
  maxNestedCallbacks: [builtin('max-nested-callbacks'), 'num'],
  cognitive: [sonarjs.rules['cognitive-complexity'], 'complexityAmount'],
};
const FUNCTIONS = ['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'];
const found = new Map(); // `${file}:${line}:${col}` -> { metric: value }

function wrap(metric, rule, key) {
  return {
    meta: { ...rule.meta, schema: false },
    create(context) {
      const stack = [];
      const head = (fn) => {
        const loc = astUtils.getFunctionHeadLoc(fn, context.sourceCode);
        return `${context.filename}:${loc.start.line}:${loc.start.column + 1}`;
      };
      const proxy = Object.create(context, {
        report: {
          value(descriptor) {
            // max-params also checks overloads and function types: we list neither.
            if (/^TS(DeclareFunction|FunctionType|EmptyBodyFunctionExpression)$/.test(descriptor.node?.type ?? '')) return;
            // complexity also reports each class field initializer (node: the initializer's value), on its own
            // code path: not the enclosing function's.
            if (metric === 'cyclomatic' && !FUNCTIONS.includes(descriptor.node?.type)) return;
            const fn = FUNCTIONS.includes(descriptor.node?.type) ? descriptor.node : stack.at(-1);
            if (!fn || fn.type === 'StaticBlock') return;
            const id = head(fn);
            const entry = found.get(id) ?? {};
            entry[metric] = Math.max(entry[metric] ?? 0, Number(descriptor.data[key]));
            found.set(id, entry);
          },
        },
      });
      const handlers = rule.create(proxy);
      const mine = {};
      for (const type of [...FUNCTIONS, 'StaticBlock']) {
        mine[type] = (node) => stack.push(node);
        mine[`${type}:exit`] = () => stack.pop();
      }
      const merged = { ...handlers };
      for (const [sel, fn] of Object.entries(mine)) {
        const theirs = handlers[sel];
        merged[sel] = sel.endsWith(':exit')
          ? (...a) => { theirs?.(...a); fn(...a); }
          : (...a) => { fn(...a); theirs?.(...a); };
      }
      // sonarjs reports on ':function:exit'; make sure our pop runs after it.
      if (handlers[':function:exit']) {
        for (const type of FUNCTIONS) merged[`${type}:exit`] = () => {};
        merged[':function:exit'] = (...a) => { handlers[':function:exit'](...a); stack.pop(); };
      }
      return merged;
    },
  };
}

const rules = {};
const ruleConfig = {};
for (const [metric, [rule, key]] of Object.entries(METRICS)) {
  rules[metric] = wrap(metric, rule, key);
  // max-lines-per-function skips IIFEs by default; we measure them too, so compare with IIFEs on.
  ruleConfig[`agree/${metric}`] = metric === 'lines' ? ['error', { max: 0, IIFEs: true }] : ['error', 0];
}
const eslint = new ESLint({
  cwd: corpora,
  overrideConfigFile: true,
  ignore: false,
  overrideConfig: [
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'],
      languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
      plugins: { agree: { rules } },
      rules: ruleConfig,
    },
  ],
});
let t = Date.now();
const patterns = targets.map((t) => `${t}/**/*.{ts,tsx,js,jsx,mjs,cjs}`);
const lintResults = await eslint.lintFiles(patterns);
const eslintMs = Date.now() - t;
const parseFailures = lintResults.filter((r) => r.messages.some((m) => m.fatal)).map((r) => r.filePath);

t = Date.now();
// Exit code 1 only means findings (error-severity smells, files with syntax errors): the JSON is complete.
const run = spawnSync('node', [path.join(repo, 'bin/tdd-fast.js'), 'analyze', ...targets, '--format', 'json', '--no-cache'], {
  cwd: corpora,
  maxBuffer: 1 << 30,
  encoding: 'utf8',
});
if (run.status !== 0 && run.status !== 1) throw new Error(`tdd-fast failed (${run.status}): ${run.stderr}`);
const ours = JSON.parse(run.stdout);
const ourErrors = ours.files.filter((f) => f.errors.length).map((f) => `${f.path}: ${f.errors[0].message}`);
const oursMs = Date.now() - t;

const stats = Object.fromEntries(Object.keys(METRICS).map((m) => [m, { agree: 0, total: 0, diffs: [] }]));
let compared = 0;
const seen = new Set();
for (const file of ours.files) {
  const abs = path.resolve(corpora, file.path);
  if (parseFailures.includes(abs) || file.errors.length) continue;
  for (const fn of file.functions) {
    const id = `${abs}:${fn.line}:${fn.column}`;
    seen.add(id);
    compared++;
    const expected = found.get(id) ?? {};
    for (const metric of Object.keys(METRICS)) {
      const want = expected[metric] ?? 0;
      const got = fn.metrics[metric];
      const s = stats[metric];
      s.total++;
      if (want === got) s.agree++;
      else s.diffs.push(`${path.relative(corpora, abs)}:${fn.line}:${fn.column} ${fn.name}: ours ${got}, reference ${want}`);
    }
  }
}
const missing = [...found.keys()].filter((k) => !seen.has(k));

console.log(`corpus: ${targets.map((t) => path.relative(repo, t)).join(', ')}`);
console.log(`files: ${ours.files.length}, functions compared: ${compared}, reference functions we did not list: ${missing.length}`);
for (const e of ourErrors) console.log(`  file with errors (skipped by both): ${e}`);
console.log(`eslint ${eslintMs} ms, tdd-fast ${oursMs} ms (single runs; bench/engine-speed.mjs times side by side with oxlint)`);
const verbose = process.env.AGREE_VERBOSE ? Number(process.env.AGREE_VERBOSE) : 5;
let worst = 100;
for (const [metric, s] of Object.entries(stats)) {
  const pct = (100 * s.agree) / Math.max(1, s.total);
  worst = Math.min(worst, pct);
  console.log(`${metric.padEnd(20)} ${s.agree}/${s.total}  ${pct.toFixed(2)}%`);
  for (const d of s.diffs.slice(0, verbose)) console.log(`    ${d}`);
}
for (const m of missing.slice(0, verbose)) console.log(`  not listed by us: ${path.relative(corpora, m)}`);
process.exitCode = worst >= 99.5 ? 0 : 1;
