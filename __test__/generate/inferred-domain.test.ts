/**
 * An untyped parameter whose use and name disagree (validator's `isInt(str, options)`: `str >= options.min` says a
 * number, the name says text): the search tries both kinds. With the usage's guess alone every call threw the guard's
 * `TypeError: Expected a string`, throws from a guessed type are not kept, and the file ended with 0 tests.
 * A real `generate --record` run of the CLI, then the project's vitest on the generated file.
 */
import { describe, expect, it } from 'vitest';

import { makeProject } from '../helpers';
import { linkNodeModules, recordFile, runVitest } from './helpers';

const SOURCE = `'use strict';
function assertString(input) {
  if (typeof input !== 'string') throw new TypeError('Expected a string but received a ' + typeof input);
}
const digits = /^[0-9]+$/;
function atLeast(str, options) {
  assertString(str);
  options = options || {};
  const minPassed = !options.hasOwnProperty('min') || str >= options.min;
  return digits.test(str) && minPassed;
}
module.exports = atLeast;
`;

describe('an untyped parameter whose use and name disagree', () => {
  it("gets calls of its name's kind too, and keeps tests that pass", () => {
    const root = makeProject({ 'package.json': '{"name":"domain-fx","private":true}', 'lib/atLeast.js': SOURCE });
    linkNodeModules(root);
    const { text } = recordFile(root, 'lib/atLeast.js');
    expect(text).toMatch(/expect\(atLeast\('[0-9]*'[^\n]*\)\)\.toBe\((true|false)\);/);
    const report = runVitest(root, { generatedOnly: { testTimeout: 5000 } });
    expect(report.numFailedTests, report.output).toBe(0);
    expect(report.numPassedTests).toBeGreaterThan(0);
  }, 120_000);
});
