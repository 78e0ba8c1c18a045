// The package is compiled to CommonJS; each public entry point gets a tiny ESM twin that re-exports it,
// so `import` and `require` see the same module instance.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dist = path.join(__dirname, '..', 'dist');
const entries = ['index', 'testing/index', 'testing/reporter'];
for (const entry of entries) {
  const cjs = path.join(dist, `${entry}.js`);
  if (!fs.existsSync(cjs)) continue;
  const base = `./${path.basename(entry)}.js`;
  const text = `export * from '${base}';\nimport cjs from '${base}';\nexport default cjs;\n`;
  fs.writeFileSync(path.join(dist, `${entry}.mjs`), text);
}
