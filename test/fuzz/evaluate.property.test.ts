/**
 * Property tests of the evaluator: any accepted condition compiles, and evaluating it on any
 * event (missing fields, wrong types, odd text) gives a boolean, never an exception; `not`
 * always negates.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { compileCondition, eventFromJson, type JsonValue } from '../../src/evaluate/compile.ts';
import { parseCondition } from '../../src/language/parse-condition.ts';
import { condition, event, fuzzRun } from './arbitraries.ts';

const catalog = new Catalog();

function matcherFor(text: string) {
  const parsed = parseCondition(text);
  if (!parsed.ok) expect.fail(`does not parse: ${text}`);
  return compileCondition(parsed.expr, { catalog });
}

describe('fuzz/evaluate (fast-check)', function () {
  this.timeout(30_000);

  it('evaluates every generated condition on any event to a boolean, and "not" negates it', () => {
    fc.assert(
      fc.property(condition, fc.array(event, { minLength: 1, maxLength: 5 }), (text, events) => {
        const matches = matcherFor(text);
        const negated = matcherFor(`not (${text})`);
        for (const fields of events) {
          const input = eventFromJson(fields as JsonValue);
          const verdict = matches(input);
          expect(verdict).to.be.a('boolean');
          expect(negated(input), `not (${text}) on ${JSON.stringify(fields)}`).to.equal(!verdict);
        }
      }),
      fuzzRun(400, 5),
    );
  });
});
