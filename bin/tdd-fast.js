#!/usr/bin/env node
'use strict';
// Node >= 22.1 keeps compiled code of our modules between runs (a faster start); older Node has no such API.
require('node:module').enableCompileCache?.();
require('../dist/cli/main.js').main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tdd-fast: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
