/**
 * falx accepts exactly the conditions libsinsp 0.25.4 (Falco 0.44.1's filter compiler) accepts.
 * Two corpora, with the engine's own verdicts:
 *  - test/corpus/libs-0.25.4/conditions.jsonl: the project's differential corpus, written by
 *    tools/differential/generate-conditions.ts and judged by the real compiler
 *    (tools/differential/README.md says when and how);
 *  - ../shared/corpus/libs-unit-tests/cases.jsonl: the conditions of libs' own filter unit tests,
 *    with 0.25.4's verdicts (another project's file: read when present, skipped otherwise).
 * On the first, each refusal is also located where libsinsp points: parse errors where its parser
 * stopped, compile errors at the start of the check its compiler was compiling.
 * Both run with the container plugin not loaded, as the engine that judged them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkConditionText } from '../../src/check/check-condition.ts';
import { parseCondition } from '../../src/language/parse-condition.ts';
import { itWithShared, projectRoot, sharedRoot } from '../support/corpus.ts';

// The language of Falco 0.44.1, whose libs judged the corpus.
const catalog = new Catalog(undefined, { containerPlugin: false, falcoVersion: '0.44' });

function falxAccepts(condition: string): boolean {
  return !checkConditionText(condition, { catalog }).diagnostics.some((d) => d.severity === 'error');
}

interface Disagreement {
  readonly condition: string;
  readonly libs: string;
  readonly falx: string;
}

function disagreements(cases: readonly { condition: string; ok: boolean; error?: string }[]): Disagreement[] {
  const found: Disagreement[] = [];
  for (const { condition, ok, error } of cases) {
    const accepted = falxAccepts(condition);
    if (accepted === ok) continue;
    const errors = checkConditionText(condition, { catalog }).diagnostics.filter((d) => d.severity === 'error');
    found.push({ condition, libs: ok ? 'accepts' : `refuses: ${error ?? ''}`, falx: accepted ? 'accepts' : `refuses: ${errors.map((d) => `${d.code} ${d.message}`).join('; ')}` });
  }
  return found;
}

describe('check: conditions as libsinsp 0.25.4 compiles them', function () {
  this.timeout(120_000);

  it('accepts and refuses exactly what the libs of the Falco 0.45 development code do (--falco-version 0.45)', () => {
    // The same conditions, line by line, judged by libs 6fbc055dd (the libs Falco 0.45 develops on): `\\xHH` escapes, the depth limit.
    const conditions = readFileSync(join(projectRoot, 'test', 'corpus', 'libs-0.25.4', 'conditions.jsonl'), 'utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { input: string }).input);
    const verdicts = readFileSync(join(projectRoot, 'test', 'corpus', 'falco-0.45-prerelease', 'conditions.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { ok: boolean });
    expect(verdicts.length).to.equal(conditions.length);
    const modern = new Catalog(undefined, { containerPlugin: false, falcoVersion: '0.45' });
    const differ = conditions.filter((condition, index) => !checkConditionText(condition, { catalog: modern }).diagnostics.some((d) => d.severity === 'error') !== verdicts[index]!.ok);
    expect(differ.slice(0, 10)).to.deep.equal([]);
  });

  it('accepts and refuses exactly what libsinsp does on the differential corpus (27,869 conditions)', () => {
    const lines = readFileSync(join(projectRoot, 'test', 'corpus', 'libs-0.25.4', 'conditions.jsonl'), 'utf8').trimEnd().split('\n');
    const cases = lines.map((line) => {
      const recorded = JSON.parse(line) as { input: string; ok: boolean; error?: string };
      return { condition: recorded.input, ok: recorded.ok, ...(recorded.error !== undefined ? { error: recorded.error } : {}) };
    });
    expect(cases.length).to.be.at.least(20_000);
    expect(cases.filter((c) => c.ok).length, 'accepted conditions in the corpus').to.be.at.least(5_000);
    expect(disagreements(cases).slice(0, 10)).to.deep.equal([]);
  });

  it('locates every refusal where libsinsp points: its first error starts at libsinsp\'s position', () => {
    const lines = readFileSync(join(projectRoot, 'test', 'corpus', 'libs-0.25.4', 'conditions.jsonl'), 'utf8').trimEnd().split('\n');
    const refused = lines.map((line) => JSON.parse(line) as { input: string; ok: boolean; pos?: number; stage?: string; error?: string }).filter((c) => !c.ok);
    expect(refused.length).to.be.at.least(20_000);
    const misplaced: string[] = [];
    for (const c of refused) {
      const first = checkConditionText(c.input, { catalog }).diagnostics.find((d) => d.severity === 'error');
      // libsinsp counts bytes; falx, characters.
      const at = first?.span === undefined ? undefined : Buffer.byteLength(c.input.slice(0, first.span.start.offset));
      if (at !== c.pos) misplaced.push(`${JSON.stringify(c.input)}: libsinsp ${c.stage} error at ${c.pos} (${c.error}), falx at ${at} (${first?.code} ${first?.message})`);
    }
    expect(misplaced.slice(0, 10)).to.deep.equal([]);
  });

  it("words every syntax error as libsinsp's parser does (but a blank condition's: \"the condition is empty\")", () => {
    const lines = readFileSync(join(projectRoot, 'test', 'corpus', 'libs-0.25.4', 'conditions.jsonl'), 'utf8').trimEnd().split('\n');
    const syntaxErrors = lines.map((line) => JSON.parse(line) as { input: string; stage?: string; error?: string }).filter((c) => c.stage === 'parse' && c.input.trim() !== '');
    expect(syntaxErrors.length).to.be.at.least(10_000);
    const worded = syntaxErrors.flatMap((c) => {
      const parsed = parseCondition(c.input);
      return parsed.ok || parsed.error.message === c.error ? [] : [`${JSON.stringify(c.input)}: libsinsp "${c.error ?? ''}", falx "${parsed.error.message}"`];
    });
    expect(worded.slice(0, 10)).to.deep.equal([]);
  });

  const unitTests = join(sharedRoot, 'corpus', 'libs-unit-tests', 'cases.jsonl');
  itWithShared("accepts and refuses exactly what libsinsp does on libs' own unit-test conditions", [unitTests], () => {
    const cases = readFileSync(unitTests, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { condition: string; compiler_ok: boolean | null; error: string | null })
      .filter((c): c is { condition: string; compiler_ok: boolean; error: string | null } => c.compiler_ok !== null)
      .map((c) => ({ condition: c.condition, ok: c.compiler_ok, ...(c.error !== null ? { error: c.error } : {}) }));
    expect(cases.length).to.be.at.least(1_300);
    expect(disagreements(cases).slice(0, 10)).to.deep.equal([]);
  });
});
