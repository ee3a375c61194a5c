/**
 * falx check says what Falco's rules loader says, file set for file set: the generated corpus of
 * test/corpus/falco-0.44.1/rules-files.jsonl (tools/differential/generate-rules-files.ts, judged by
 * Falco 0.44.1's engine run like `falco -V`, with its bundled container plugin loaded), and the
 * same files judged by the engine of the Falco 0.45 development code
 * (test/corpus/falco-0.45-prerelease/rules-files.jsonl; tools/differential/README.md). For each
 * case: the same load or refusal; of falx's errors, the one it names as Falco's first (the one
 * `falco -V` reports) with Falco's LOAD_* code; and, for files that load, the same warning codes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { checkTarget } from '../../src/check/check-target.ts';
import { falcoFirstError } from '../../src/check/falco-load-order.ts';
import { codes } from '../../src/diagnostics/codes.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import type { Ruleset } from '../../src/loader/ruleset.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { projectRoot } from '../support/corpus.ts';

interface Finding {
  readonly code: string;
  readonly message: string;
}

interface RecordedCase {
  readonly input?: { readonly files: readonly { readonly name: string; readonly text: string }[] };
  readonly ok: boolean;
  readonly fatal?: string;
  readonly crash?: boolean;
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

/** The Falco code a falx diagnostic stands for, if Falco reports it at all. */
function falcoCode(d: Diagnostic): string | undefined {
  if (d.code.startsWith('LOAD_')) return d.code;
  const spec = codes[d.code as keyof typeof codes] as { falco?: string };
  return spec.falco;
}

const corpus = (...path: string[]): RecordedCase[] =>
  readFileSync(join(projectRoot, 'test', 'corpus', ...path), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as RecordedCase);

for (const { falcoVersion, verdicts } of [
  { falcoVersion: '0.44', verdicts: ['falco-0.44.1', 'rules-files.jsonl'] },
  { falcoVersion: '0.45', verdicts: ['falco-0.45-prerelease', 'rules-files.jsonl'] },
]) describe(`check: rules files as Falco ${falcoVersion} loads them`, function () {
  this.timeout(120_000);
  let cases: RecordedCase[] = [];
  let checked: { recorded: RecordedCase; files: string[]; ruleset: Ruleset; diagnostics: Diagnostic[] }[] = [];
  // Read when the suite runs, not when mocha loads the file.
  before(() => {
    // The inputs are the 0.44.1 corpus's; a version's verdicts follow them line by line.
    const inputs = corpus('falco-0.44.1', 'rules-files.jsonl');
    cases = corpus(...verdicts);
    expect(cases.length).to.equal(inputs.length);
    const catalog = new Catalog(undefined, { falcoVersion });
    checked = cases.map((recorded, index) => {
      const files = inputs[index]!.input!.files;
      const result = checkRulesFiles(files.map((file) => new SourceFile(file.name, file.text)), catalog);
      return { recorded, files: files.map((file) => file.name), ruleset: result.ruleset, diagnostics: [...result.diagnostics, ...checkTarget(result, falcoVersion)] };
    });
  });
  const loads = (recorded: RecordedCase): boolean => recorded.ok && recorded.fatal === undefined && recorded.crash !== true;

  it('holds at least 1,000 cases, loading and refused, crashes included', () => {
    expect(cases.length).to.be.at.least(1_000);
    expect(cases.filter(loads).length).to.be.at.least(300);
    expect(cases.filter((c) => c.crash === true).length, 'cases on which Falco 0.44.1 crashes').to.be.at.least(1);
  });

  it('loads and refuses exactly what Falco loads and refuses', () => {
    const differ = checked
      .filter(({ recorded, diagnostics }) => loads(recorded) !== !diagnostics.some((d) => d.severity === 'error'))
      .map(({ recorded, diagnostics }) => ({ falco: recorded.errors[0]?.message ?? recorded.fatal ?? (recorded.crash === true ? 'crash' : 'loads'), falx: diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`) }));
    expect(differ.slice(0, 5)).to.deep.equal([]);
  });

  it("names the error Falco reports first, with Falco's LOAD_* code", () => {
    const refused = checked.filter(({ recorded }) => recorded.errors.length > 0);
    expect(refused.length).to.be.at.least(800);
    const differ = refused
      .map(({ recorded, files, ruleset, diagnostics }) => ({ recorded, first: falcoFirstError(files, ruleset, diagnostics), diagnostics }))
      .filter(({ recorded, first }) => first === undefined || falcoCode(first) !== recorded.errors[0]!.code)
      .map(({ recorded, first, diagnostics }) => ({
        falco: `${recorded.errors[0]!.code} ${recorded.errors[0]!.message}`,
        falxFirst: first === undefined ? 'none' : `${falcoCode(first) ?? first.code} ${first.message}`,
        falx: diagnostics.filter((d) => d.severity === 'error').map((d) => `${falcoCode(d) ?? d.code} ${d.message}`),
      }));
    expect(differ.slice(0, 5)).to.deep.equal([]);
  });

  it('gives the same warning codes for the files that load', () => {
    const differ = checked
      .filter(({ recorded }) => loads(recorded))
      .map(({ recorded, diagnostics }) => ({
        falco: [...new Set(recorded.warnings.map((w) => w.code))].sort(),
        falx: [...new Set(diagnostics.filter((d) => d.severity !== 'error').map(falcoCode).filter((code): code is string => code !== undefined))].sort(),
      }))
      .filter(({ falco, falx }) => falco.join() !== falx.join());
    expect(differ.slice(0, 5)).to.deep.equal([]);
  });
});
