/**
 * Property test (fast-check) of every place a condition comes in from outside: `falx eval`
 * (checkConditionText as the command calls it, with and without alert fields), the silences API
 * (compileSilenceCondition) and the router configuration (a route's `match`, an inhibit rule's
 * `source_match`). Any text, and above all text starting with a quote and a bad escape, gives
 * located diagnostics and never an exception. Bounded to about 3 s.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkConditionText } from '../../src/check/check-condition.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { loadRouterConfig } from '../../src/router/config.ts';
import { compileSilenceCondition } from '../../src/router/noise/silences.ts';
import { condition, conditionNoise, fuzzRun, mutationOf } from './arbitraries.ts';

const catalogs = { plain: new Catalog(), alert: new Catalog(undefined, { alertFields: true }) };

/** A quote and an escape first: where decoding the condition as a YAML scalar once threw. */
const quotedEscapeFirst = fc
  .tuple(fc.constantFrom('"', "'", ''), fc.constantFrom('\\x', '\\u', '\\U', '\\', '\\x4', '\\u00', '\\n', '\\"'), fc.oneof(fc.string({ maxLength: 8 }), condition))
  .map(([quote, escape, rest]) => `${quote}${escape}${rest}`);

const anyConditionText = fc.oneof(
  quotedEscapeFirst,
  conditionNoise,
  fc.string({ maxLength: 40 }),
  condition.chain((text) => mutationOf(text, '()"\'\\,=! x')),
);

function expectInside(diagnostics: readonly Diagnostic[], length: number): void {
  for (const d of diagnostics) {
    if (d.span === undefined) continue;
    expect(d.span.start.offset, `${d.code} ${d.message}`).to.be.within(0, length);
    expect(d.span.end.offset, `${d.code} ${d.message}`).to.be.within(d.span.start.offset, length);
  }
}

function routerConfigWith(text: string): string {
  // A JSON string is a YAML double-quoted scalar: the condition arrives exactly as generated.
  const quoted = JSON.stringify(text);
  return [
    'receivers: [{ name: log, type: log }]',
    'route:',
    '  receivers: [log]',
    '  routes:',
    `    - match: ${quoted}`,
    'inhibit_rules:',
    '  - name: fuzz',
    `    source_match: ${quoted}`,
    '    target_match: priority <= warning',
    '    equal: [rule]',
    '    duration: 1m',
    '',
  ].join('\n');
}

describe('fuzz/condition entry points: eval, silences API, router configuration (fast-check)', function () {
  this.timeout(30_000);

  it('any condition, at every entry point, gives diagnostics inside its text and never throws', () => {
    fc.assert(
      fc.property(anyConditionText, fc.boolean(), (text, alertFields) => {
        // falx eval, as the command calls the checker.
        const checked = checkConditionText(text, { catalog: alertFields ? catalogs.alert : catalogs.plain, file: '<condition>', alertFields });
        expectInside(checked.diagnostics, text.length);
        if (checked.expr === undefined) expect(checked.diagnostics.some((d) => d.severity === 'error')).to.equal(true);
        // POST /api/silences.
        const compiled = compileSilenceCondition(text);
        if (!compiled.ok) {
          expect(compiled.diagnostics).to.not.deep.equal([]);
          expectInside(compiled.diagnostics, text.length);
        }
        // A route's match and an inhibit rule's source_match (falx serve, serve --check, route test).
        const yaml = routerConfigWith(text);
        expectInside(loadRouterConfig(yaml, 'router.yaml', { env: {}, readFile: () => '' }).diagnostics, yaml.length);
      }),
      fuzzRun(800, 3),
    );
  });
});
