#!/usr/bin/env node
'use strict';
require('../dist/cli.js').main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`tdd-fast: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  },
);
