import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkConditionText } from '../../src/check/check-condition.ts';
import { describeWithShared, readSemanticsCases, semanticsCasesPath, type SemanticsCase } from '../support/corpus.ts';

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
  // Operator errors name the operator; netmask errors the prefix length; identifier errors the word.
  const operator = /'([^']+)' (?:operator|with modifier)/.exec(error)?.[1];
  if (operator !== undefined) tokens.push(` ${operator} `);
  const netmask = /invalid (?:v6 )?netmask (\d+)/.exec(error)?.[1];
  if (netmask !== undefined) tokens.push(`/${netmask}`);
  const identifier = /unexpected identifier '([^']+)'/.exec(error)?.[1];
  if (identifier !== undefined) tokens.push(identifier);
  return tokens;
}

/** What else a span must cover, for errors that name no token of the condition (spans of compile errors run from the check's start to what is wrong). */
function expectedCover(condition: string, error: string): ((covered: string) => boolean) | undefined {
  if (/invalid regex pattern/.test(error)) return (covered) => covered.includes(/regex ("[^"]*")/.exec(condition)?.[1] ?? '\u0000');
  if (/filter parameter too long/.test(error)) return (covered) => covered.length > 255;
  if (/hex strings only/.test(error)) return (covered) => condition.endsWith(covered);
  if (/doesn't support right-hand side fields/.test(error)) return (covered) => /val\([^)]*\)$/.test(covered);
  if (/transformer|must be a list|must be strings/.test(error)) return (covered) => /[a-z0-9]+\(/.test(covered);
  return undefined;
}

describeWithShared('check/libsinsp verdicts on the semantics corpus', [semanticsCasesPath], () => {
  let cases: SemanticsCase[] = [];
  before(() => {
    cases = readSemanticsCases();
  });

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
    const unlocated: string[] = [];
    for (const c of rejected) {
      const errors = checkConditionText(c.condition, { catalog }).diagnostics.filter((d) => d.severity === 'error');
      expect(errors, `${c.condition} (libsinsp: ${c.error})`).to.not.be.empty;
      const span = errors[0]!.span;
      expect(span, c.condition).to.not.equal(undefined);
      const covered = c.condition.slice(span!.start.offset, Math.max(span!.end.offset, span!.start.offset + 1));
      // The span, widened by one blank each side, covers what libsinsp's message names.
      const around = c.condition.slice(Math.max(0, span!.start.offset - 1), Math.max(span!.end.offset, span!.start.offset + 1) + 1);
      const tokens = namedTokens(c.error ?? '').filter((token) => c.condition.includes(token));
      const cover = expectedCover(c.condition, c.error ?? '');
      let checked = false;
      if (tokens.length > 0) {
        const hit = tokens.some((token) => around.includes(token) || (covered.length > 1 && token.includes(covered)));
        expect(hit, `${c.condition}: span "${covered}" misses ${tokens.join(', ')}`).to.equal(true);
        checked = true;
      } else if (cover !== undefined && !/at index/.test(c.error ?? '')) {
        expect(cover(covered), `${c.condition}: span "${covered}" (libsinsp: ${c.error})`).to.equal(true);
        checked = true;
      }
      const index = /at index (\d+)/.exec(c.error ?? '');
      if (index !== null) {
        // Syntax errors: within a few characters of where libsinsp stopped reading.
        expect(Math.abs(span!.start.offset - Number(index[1])), `${c.condition}: at ${span!.start.offset}, libsinsp at ${index[1]}`).to.be.at.most(16);
        checked = true;
      }
      if (checked) located++;
      else unlocated.push(`${c.condition} (libsinsp: ${c.error})`);
    }
    // Every rejected case's location is checked one way or another.
    expect(unlocated).to.deep.equal([]);
    expect(located).to.equal(rejected.length);
  });
});
