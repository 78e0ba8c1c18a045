/**
 * Imports as a person writes them. The emitters reach the module under test through a namespace, `mod.total(...)`,
 * `mod.default(...)`, `new mod.Cart()`, which is exact whatever the module's shape (the search chose each access path
 * by loading the module). This pass turns every `mod.<name>` into a named import (`import { total } from './cart'`)
 * and `mod.default` into a default import named after what it is (`import prettyBytes from './index.js'`). Both are
 * the same binding as the namespace member they replace, for ES modules and CommonJS alike (a CommonJS module's
 * default import is its `module.exports`; its named imports are the names Node's loader detects, which is where the
 * search found them). Only a member that is not an identifier (`mod['a-b']`) keeps a namespace import.
 */
import { IDENT, quote } from './value-code';

/** Names a binding must not take: the test file's own (vitest, helpers, locals) and the language's reserved words. */
const TAKEN = new Set([
  'describe', 'expect', 'it', 'vi', 'thrown', 'rejected', 'exported', 'instance', 'error', 'result', 'value', 'mod',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null',
  'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
  'let', 'static', 'implements', 'interface', 'package', 'private', 'protected', 'public', 'await', 'arguments', 'eval',
  'undefined', 'NaN', 'Infinity', 'Object', 'Array', 'Map', 'Set', 'Date', 'RegExp', 'Error', 'Promise', 'Symbol',
  'String', 'Number', 'Boolean', 'BigInt', 'JSON', 'Math', 'TypeError', 'RangeError', 'SyntaxError',
]);

/** Locals the emitters declare in a test: `arg0`, `arg1_0`, `error2`. */
const LOCAL = /^(arg\d+(_\d+)?|error\d+)$/;

/** A local name for the default export: `pretty-bytes` -> `prettyBytes`, `2d.js` -> `_2d`. */
export function identifierFrom(text: string): string {
  const words = text.split(/[^A-Za-z0-9_$]+/).filter(Boolean);
  const name = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
  if (!name) return 'subject';
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * The default import's name: the default export's own name when it is a function or class (`prettyBytes`,
 * `Account`), else the module's file name (`./cart` -> `cart`; an `index` file: its folder's name).
 */
export function defaultImportName(ownName: string | null, importPath: string): string {
  if (ownName && IDENT.test(ownName) && !['default', 'exports', 'module', 'anonymous'].includes(ownName)) return ownName;
  const parts = importPath.split('/').filter((p) => p && p !== '.' && p !== '..');
  let base = (parts.pop() ?? 'subject').replace(/\.[cm]?[jt]sx?$/, '');
  if (base === 'index' && parts.length) base = parts.pop()!;
  return identifierFrom(base);
}

/** `<namespace>` followed by identifier members, at a token boundary. */
function accessPattern(namespace: string): RegExp {
  // Not a member of something else (`x.mod`), but a spread of it (`[...mod.range(3)]`) is the namespace.
  return new RegExp(`(?<![\\w$])(?<!(?<!\\.\\.)\\.)${namespace.replace(/\$/g, '\\$')}((?:\\.[A-Za-z_$][\\w$]*)*)(?![\\w$])`, 'y');
}

interface Bindings {
  named: Map<string, string>;
  defaultName: string | null;
  namespace: boolean;
}

/** Where the string literal starting at `i` ends (one past its closing quote), or the line's end. */
function stringEnd(line: string, i: number): number {
  const quoteChar = line[i];
  let j = i + 1;
  while (j < line.length && line[j] !== quoteChar) j += line[j] === '\\' ? 2 : 1;
  return Math.min(j + 1, line.length);
}

/** The text of the access at `i` (mapped, or kept when `map` gives null), or the single character there. */
function accessAt(line: string, i: number, on: { namespace: string; access: RegExp }, map: (members: string[]) => string | null): { text: string; end: number } {
  on.access.lastIndex = i;
  const m = line.startsWith(on.namespace, i) ? on.access.exec(line) : null;
  if (!m) return { text: line[i], end: i + 1 };
  return { text: map(m[1].split('.').slice(1)) ?? m[0], end: i + m[0].length };
}

/**
 * Rewrites the `<namespace>...` accesses of one line; strings are left as they are. `code` maps the members of an
 * access in code to its text; `comment`, in a comment (a TODO's call shown as a hint), may keep it (null).
 */
function rewriteLine(line: string, on: { namespace: string; access: RegExp }, code: (members: string[]) => string, comment: (members: string[]) => string | null): string {
  let out = '';
  let inComment = false;
  for (let i = 0; i < line.length; ) {
    const ch = line[i];
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = stringEnd(line, i);
      out += line.slice(i, end);
      i = end;
      continue;
    }
    inComment ||= ch === '/' && line[i + 1] === '/';
    const next = accessAt(line, i, on, inComment ? comment : code);
    out += next.text;
    i = next.end;
  }
  return out;
}

/** A module the test file reaches through a namespace in the emitted text, and the specifier it is imported from. */
export interface ModuleImport {
  /** `mod` for the module under test; another module's placeholder (instance-registry.ts `moduleToken`). */
  namespace: string;
  importPath: string;
  /** The default export's own name (see defaultImportName). */
  ownName: string | null;
}

/** One module's accesses turned into bindings `claim` names; its import lines. */
function bindModule(lines: string[], module: ModuleImport, claim: (wanted: string, suffix: string) => string): { imports: string[]; lines: string[] } {
  const { namespace, importPath, ownName } = module;
  const on = { namespace, access: accessPattern(namespace) };
  const bindings: Bindings = { named: new Map(), defaultName: null, namespace: false };
  // Named bindings first (a person's `total` stays `total`), then the default one.
  const names = new Set<string>();
  for (const line of lines) rewriteLine(line, on, (members) => (members[0] && members[0] !== 'default' && names.add(members[0]), ''), () => null);
  for (const name of [...names].sort()) bindings.named.set(name, claim(name, 'Export'));
  const head = (first: string | undefined): string | undefined => (first === 'default' ? (bindings.defaultName ??= claim(defaultImportName(ownName, importPath), 'Default')) : first === undefined ? undefined : bindings.named.get(first));
  // Another module kept whole is bound to a namespace named after its file.
  const whole = namespace === 'mod' ? 'mod' : claim(`${defaultImportName(null, importPath)}Module`, '');
  const code = (members: string[]): string => {
    if (members.length === 0) bindings.namespace = true;
    return members.length === 0 ? whole : [head(members[0]), ...members.slice(1)].join('.');
  };
  // In a comment (a TODO's call as a hint) the name a person would import, without adding an import for it.
  const comment = (members: string[]): string | null => {
    if (members.length === 0) return null;
    const known = members[0] === 'default' ? (bindings.defaultName ?? defaultImportName(ownName, importPath)) : (bindings.named.get(members[0]) ?? members[0]);
    return [known, ...members.slice(1)].join('.');
  };
  const out = lines.map((line) => rewriteLine(line, on, code, () => null)).map((line) => rewriteLine(line, on, (m) => `${namespace}${m.map((x) => `.${x}`).join('')}`, comment));
  const specifier = quote(importPath);
  const named = [...bindings.named].map(([exported, as]) => (exported === as ? exported : `${exported} as ${as}`));
  const imports: string[] = [];
  if (bindings.defaultName && named.length) imports.push(`import ${bindings.defaultName}, { ${named.join(', ')} } from ${specifier};`);
  else if (bindings.defaultName) imports.push(`import ${bindings.defaultName} from ${specifier};`);
  else if (named.length) imports.push(`import { ${named.join(', ')} } from ${specifier};`);
  if (bindings.namespace) imports.push(`import * as ${whole} from ${specifier};`);
  return { imports, lines: out };
}

/**
 * The file's lines with `mod.x` accesses turned into imported bindings, and the import lines to put in place of
 * `import * as mod from '<importPath>'`. `others`: further modules the text reaches through their placeholders (the
 * package's own types built from another file: `import { Point } from './point'`), bound after the module under test.
 */
export function personImports(lines: string[], importPath: string, defaultOwnName: string | null, others: ModuleImport[] = []): { imports: string[]; lines: string[] } {
  const used = new Set<string>();
  const claim = (wanted: string, suffix: string): string => {
    let name = wanted;
    const free = (n: string) => !TAKEN.has(n) && !used.has(n) && !LOCAL.test(n);
    if (!free(name)) name = `${wanted}${suffix}`;
    for (let n = 2; !free(name); n++) name = `${wanted}${suffix}${n}`;
    used.add(name);
    return name;
  };
  const imports: string[] = [];
  let out = lines;
  for (const module of [{ namespace: 'mod', importPath, ownName: defaultOwnName }, ...others]) {
    if (module.namespace !== 'mod' && !out.some((l) => l.includes(module.namespace))) continue;
    const bound = bindModule(out, module, claim);
    imports.push(...bound.imports);
    out = bound.lines;
  }
  return { imports, lines: out };
}
