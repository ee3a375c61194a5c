import { expect } from 'chai';
import { parse as parseYaml } from 'yaml';
import { parseCondition } from '../../src/language/parse-condition.ts';
import { printCondition } from '../../src/language/print-condition.ts';
import { itWithShared, readSemanticsCases, readUpstreamRules, semanticsCasesPath, upstreamRulesPath } from '../support/corpus.ts';
import { stripLocations } from '../support/strip-locations.ts';

function upstreamConditions(): { name: string; condition: string }[] {
  const items = parseYaml(readUpstreamRules()) as Record<string, unknown>[];
  const conditions: { name: string; condition: string }[] = [];
  for (const item of items) {
    if (typeof item['condition'] !== 'string') continue;
    const name = String(item['macro'] ?? item['rule']);
    conditions.push({ name, condition: item['condition'] });
  }
  return conditions;
}

function expectRoundTrip(condition: string): void {
  const first = parseCondition(condition);
  if (!first.ok) expect.fail(`does not parse: ${first.error.message} at column ${first.error.loc.start.column}`);
  const printed = printCondition(first.expr);
  const second = parseCondition(printed);
  if (!second.ok) expect.fail(`printed form does not parse: ${printed}\n${second.error.message}`);
  expect(stripLocations(second.expr), printed).to.deep.equal(stripLocations(first.expr));
  expect(printCondition(second.expr)).to.equal(printed);
}

describe('language/condition corpus round trip', () => {
  itWithShared('parses, prints and re-parses every macro and rule condition of falco_rules.yaml', [upstreamRulesPath], () => {
    const conditions = upstreamConditions();
    expect(conditions.length).to.equal(87 + 25);
    for (const { name, condition } of conditions) {
      try {
        expectRoundTrip(condition);
      } catch (error) {
        throw new Error(`${name}: ${(error as Error).message}`);
      }
    }
  });

  itWithShared('parses, prints and re-parses every condition libsinsp accepted in the semantics corpus', [semanticsCasesPath], () => {
    const accepted = readSemanticsCases().filter((c) => c.ok);
    expect(accepted.length).to.equal(472);
    for (const { id, condition } of accepted) {
      try {
        expectRoundTrip(condition);
      } catch (error) {
        throw new Error(`${id} ${JSON.stringify(condition)}: ${(error as Error).message}`);
      }
    }
  });
});
