/**
 * Which measured source files export code, for the bench's "0-test files" count (issue 22: no file that exports code
 * ends with 0 recorded tests). A file that exports only types, interfaces, enums and constants has nothing a test
 * could call: it is left out of the count and the row says how many were left out. The rule is conservative, so a
 * real miss is never hidden: an ES module is "types and constants only" when every export is a type, an interface,
 * an enum, a `const` whose value is made of literals (`export const LIMIT = 10`, `{ a: 1, b: ['x'] } as const`) or
 * can never be or hold a function (`!!globalThis.__debug__`, `Symbol.for('k')`, `new RegExp(...)`,
 * `Object.create(null)`), or a re-export of a file that is itself types and constants only; anything else (a function, a class, a value a
 * factory call builds: `export const base32 = rfc4648({...})`, an imported binding re-exported) exports code.
 * A CommonJS, UMD or script file exports code when the core sees any function in it or a `require` barrel.
 * The caller also counts every file the generator planned a function for or wrote a test file for.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
const HOPS = 3;
const DECLARATION = /\.d\.([cm]?)ts$/;

/**
 * The code file of a re-export target (a `.d.ts` stands for the script beside it), or null outside the package or
 * when no such file exists.
 */
export function codeFile(resolved) {
  if (resolved.split(path.sep).includes('node_modules')) return null;
  const declaration = DECLARATION.exec(resolved);
  const base = declaration ? resolved.slice(0, -declaration[0].length) : null;
  const candidates = base ? [`${base}.${declaration[1]}js`, `${base}.${declaration[1]}ts`, `${base}.js`, `${base}.ts`] : [resolved];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile()) ?? null;
}

/**
 * Whether an expression is a constant a test has nothing to call on: made of literals only, or a value that can never
 * be or hold a function whatever its operands (`!flag`, `typeof x`, a comparison, `Symbol.for('k')`, `new RegExp(...)`,
 * an empty `Object.create(null)`), or another such constant of the file (`constants`).
 */
function constantValue(ts, e, constants = new Set()) {
  if (!e) return false;
  const constant = (x) => constantValue(ts, x, constants);
  if (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression?.(e) || ts.isTypeAssertionExpression?.(e) || ts.isNonNullExpression(e)) return constant(e.expression);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isRegularExpressionLiteral(e)) return true;
  if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(e.kind)) return true;
  if (ts.isIdentifier(e)) return constants.has(e.text) || e.text === 'undefined';
  // `!x` is a boolean and `typeof x` a string whatever x is; `-x`, `~x` of a constant are constants
  if (ts.isPrefixUnaryExpression(e)) return e.operator === ts.SyntaxKind.ExclamationToken || constant(e.operand);
  if (ts.isTypeOfExpression(e)) return true;
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    const comparison = [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken, ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InKeyword, ts.SyntaxKind.InstanceOfKeyword].includes(op);
    return comparison || (constant(e.left) && constant(e.right));
  }
  if (ts.isTemplateExpression(e)) return true;
  if (ts.isArrayLiteralExpression(e)) return e.elements.every(constant);
  if (ts.isObjectLiteralExpression(e)) return e.properties.every((p) => ts.isPropertyAssignment(p) && constant(p.initializer));
  if (ts.isCallExpression(e)) {
    const callee = e.expression.getText();
    if (callee === 'Symbol' || callee === 'Symbol.for') return true;
    return callee === 'Object.create' && e.arguments.length === 1 && e.arguments[0].kind === ts.SyntaxKind.NullKeyword;
  }
  // a regular expression built at load time is no code of the file's
  return ts.isNewExpression(e) && e.expression.getText() === 'RegExp';
}

const hasExport = (ts, node) => (ts.getModifiers?.(node) ?? node.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * An ES module's exports, read with TypeScript's parser: 'code' (something callable or built), 'none' (types and
 * constants only), or the re-exported specifiers to decide by.
 */
function esExports(ts, file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const constants = new Set();
  for (const s of source.statements) {
    if (ts.isVariableStatement(s) && s.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of s.declarationList.declarations) if (ts.isIdentifier(d.name) && constantValue(ts, d.initializer, constants)) constants.add(d.name.text);
    }
    if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) constants.add(s.name.text);
  }
  const from = [];
  for (const s of source.statements) {
    if (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s) || ts.isImportDeclaration(s)) continue;
    if (ts.isExportDeclaration(s)) {
      if (s.isTypeOnly) continue;
      if (s.moduleSpecifier) from.push(s.moduleSpecifier.text);
      else if (s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.some((x) => !x.isTypeOnly && !constants.has((x.propertyName ?? x.name).text))) return 'code';
      continue;
    }
    if (ts.isExportAssignment(s)) {
      if (!constantValue(ts, s.expression, constants)) return 'code';
      continue;
    }
    if (!hasExport(ts, s)) continue;
    if (ts.isVariableStatement(s)) {
      if (!(s.declarationList.flags & ts.NodeFlags.Const) || s.declarationList.declarations.some((d) => !constantValue(ts, d.initializer, constants))) return 'code';
      continue;
    }
    if (ts.isModuleDeclaration(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword)) continue;
    return 'code';
  }
  return from;
}

/**
 * For each file (absolute paths), whether it exports code. `api` is the built package (`analyzeFiles`).
 * @returns {Promise<Map<string, boolean>>}
 */
export async function filesExportingCode(api, files, root) {
  const ts = require(require.resolve('typescript', { paths: [root, process.cwd()] }));
  const reports = new Map();
  const analysis = await api.analyzeFiles(files, { root, cache: false });
  for (const r of analysis.files) reports.set(path.resolve(root, r.path), r);
  const memo = new Map();
  const exportsCode = (file, depth) => {
    if (memo.has(file)) return memo.get(file);
    memo.set(file, true);
    let answer = true;
    const report = reports.get(file);
    if (report && report.moduleFormat !== 'esm') {
      answer = report.functions.length > 0 || (report.reexports ?? []).length > 0;
    } else if (/\.[cm]?[jt]sx?$/.test(file) && fs.existsSync(file)) {
      const found = esExports(ts, file);
      answer =
        found === 'code' ||
        found.some((specifier) => {
          const target = resolveSpecifier(file, specifier);
          // a specifier it cannot follow (a dependency, a path it cannot find) counts as code
          return target === null || depth >= HOPS || exportsCode(target, depth + 1);
        });
    }
    memo.set(file, answer);
    return answer;
  };
  return new Map(files.map((f) => [f, exportsCode(f, 0)]));
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.jsx'];

/** A relative specifier's file (TypeScript's `./x.js` for `./x.ts`, folders to their index), or null. */
function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  const stripped = base.replace(/\.(m|c)?js$/, '');
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => stripped + e), ...EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  return candidates.map((c) => codeFile(c)).find((c) => c !== null) ?? null;
}
