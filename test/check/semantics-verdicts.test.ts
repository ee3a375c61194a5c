import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkConditionText } from '../../src/check/check-condition.ts';
import { readSemanticsCases } from '../support/corpus.ts';

// The corpus was produced without the container plugin, so container.* and k8s.* are unknown there.
const catalog = new Catalog(undefined, { containerPlugin: false });

/** The parts of the condition libsinsp's error names (fields, values...). */
function namedTokens(error: string): string[] {
  const patterns = [
    /nonexistent field (\S+)/,
    /unknown event type (.+)$/,
    /^(\S+) is not a valid number/,
    /unrecognized IP(?:v4|v6)? (?:address|network) (\S+)/,
    /unknown event argument (\S+)/,
    /unrecognized boolean value (\S+)/,
    /unrecognized protocol (\S+)/,
  ];
  const tokens = patterns.map((pattern) => pattern.exec(error)?.[1]).filter((t): t is string => t !== undefined);
  for (const match of error.matchAll(/(?:field|right-hand side field) '([^']+)'/g)) tokens.push(match[1]!);
  return tokens;
}

describe('check/libsinsp verdicts on the semantics corpus', () => {
  const cases = readSemanticsCases();

  it('reports no error on any condition libsinsp accepted', () => {
    const accepted = cases.filter((c) => c.ok);
    expect(accepted).to.have.length(472);
    for (const c of accepted) {
      const errors = checkConditionText(c.condition, { catalog }).diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((e) => `${e.code} ${e.message}`), c.condition).to.deep.equal([]);
    }
  });

  it('reports an error on every condition libsinsp rejected, at the offending part', () => {
    const rejected = cases.filter((c) => !c.ok);
    expect(rejected).to.have.length(108);
    let located = 0;
    for (const c of rejected) {
      const errors = checkConditionText(c.condition, { catalog }).diagnostics.filter((d) => d.severity === 'error');
      expect(errors, `${c.condition} (libsinsp: ${c.error})`).to.not.be.empty;
      const span = errors[0]!.span;
      expect(span, c.condition).to.not.equal(undefined);
      const covered = c.condition.slice(span!.start.offset, Math.max(span!.end.offset, span!.start.offset + 1));
      const tokens = namedTokens(c.error ?? '').filter((token) => c.condition.includes(token));
      if (tokens.length > 0) {
        // The error's span covers something libsinsp's message names (or lies inside it).
        const hit = tokens.some((token) => covered.includes(token) || token.includes(covered));
        expect(hit, `${c.condition}: span "${covered}" misses ${tokens.join(', ')}`).to.equal(true);
        located++;
      }
      const index = /at index (\d+)/.exec(c.error ?? '');
      if (index !== null && c.condition.trim() !== '') {
        // Syntax errors: within a few characters of where libsinsp stopped reading.
        expect(Math.abs(span!.start.offset - Number(index[1])), `${c.condition}: at ${span!.start.offset}, libsinsp at ${index[1]}`).to.be.at.most(16);
        located++;
      }
    }
    expect(located).to.be.greaterThan(60);
  });
});
