/**
 * Property test of the condition language: generated conditions survive print/parse unchanged.
 * That no text makes a condition entry point throw is condition-entry-points.property.test.ts.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { parseCondition } from '../../src/language/parse-condition.ts';
import { printCondition } from '../../src/language/print-condition.ts';
import { stripLocations } from '../support/strip-locations.ts';
import { condition, fuzzRun } from './arbitraries.ts';

describe('fuzz/conditions (fast-check)', function () {
  this.timeout(30_000);

  it('parses every generated condition, and printing then re-parsing gives the same tree', () => {
    fc.assert(
      fc.property(condition, (text) => {
        const first = parseCondition(text);
        if (!first.ok) expect.fail(`does not parse: ${first.error.message}`);
        const printed = printCondition(first.expr);
        const second = parseCondition(printed);
        if (!second.ok) expect.fail(`printed form does not parse: ${printed}`);
        expect(stripLocations(second.expr)).to.deep.equal(stripLocations(first.expr));
      }),
      fuzzRun(400, 4),
    );
  });
});
