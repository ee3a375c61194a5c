import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { compileCondition } from '../../src/evaluate/compile.ts';
import { parseCondition } from '../../src/language/parse-condition.ts';
import { describeWithShared, readSemanticsCases, semanticsCasesPath, semanticsEventsPath } from '../support/corpus.ts';
import { readSemanticsEvents } from '../support/semantics-events.ts';

/** Cases whose result cannot be derived from the dumped event data, with the reason. */
const unexplainable: ReadonlyMap<string, string> = new Map([]);

describeWithShared('evaluate/semantics corpus (libsinsp 0.25.4 ground truth)', [semanticsCasesPath, semanticsEventsPath], function () {
  this.timeout(60_000);

  it('matches exactly the events libsinsp matched, for every accepted condition', () => {
    const events = readSemanticsEvents();
    expect(events.length).to.equal(4161);
    const catalog = new Catalog();
    const indexOf = new Map(events.map(({ capture, num }, index) => [`${capture}#${num}`, index]));
    const cases = readSemanticsCases().filter((c) => c.ok && !unexplainable.has(c.id));
    const failures: string[] = [];
    let agreed = 0;
    for (const testCase of cases) {
      const parsed = parseCondition(testCase.condition);
      if (!parsed.ok) {
        failures.push(`${testCase.id} ${testCase.condition}: does not parse: ${parsed.error.message}`);
        continue;
      }
      let matcher;
      try {
        matcher = compileCondition(parsed.expr, { catalog });
      } catch (error) {
        failures.push(`${testCase.id} ${testCase.condition}: does not compile: ${(error as Error).message}`);
        continue;
      }
      const expected = new Array<boolean>(events.length).fill(false);
      for (const [capture, nums] of Object.entries(testCase.matches ?? {})) for (const num of nums) expected[indexOf.get(`${capture}#${num}`) ?? -1] = true;
      const wrong: string[] = [];
      events.forEach(({ capture, num, event }, index) => {
        if (matcher(event) !== expected[index]) wrong.push(`${capture}#${num} (expected ${expected[index] === true ? 'match' : 'no match'})`);
      });
      if (wrong.length === 0) agreed++;
      else failures.push(`${testCase.id} ${testCase.condition}: ${wrong.length} events differ, e.g. ${wrong.slice(0, 3).join(', ')}`);
    }
    expect(failures, `${agreed}/${cases.length} cases agree\n${failures.join('\n')}`).to.deep.equal([]);
  });
});
