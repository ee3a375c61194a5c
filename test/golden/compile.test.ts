/**
 * Golden files for the compiler: `test/golden/compile/<case>/input.falx` → `expected.yaml`,
 * `test/golden/enforce/<case>/input.falx` → `expected.networkpolicy.yaml`, `expected.cilium.yaml`
 * and `expected-notes.txt` (what could not be enforced), and
 * `test/golden/diagnostics/<case>/input.falx` → `expected.txt` (the text renderer's exact output,
 * `falx test` findings included). `UPDATE_GOLDEN=1 npm test` rewrites the expected files; review
 * the diff.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { compileProgram, emitModules } from '../../src/compile/compile-program.ts';
import { runTests } from '../../src/compile/run-tests.ts';
import { renderText } from '../../src/diagnostics/render-text.ts';
import { emitNetworkPolicies, networkPoliciesOf } from '../../src/enforce/emit-network-policies.ts';
import { sortDiagnostics } from '../../src/diagnostics/sort.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { itWithShared, projectRoot, readUpstreamRules, upstreamRulesPath } from '../support/corpus.ts';

const update = process.env['UPDATE_GOLDEN'] === '1';
const catalog = new Catalog();

function compileCase(dir: string) {
  const path = join(dir, 'input.falx');
  const entry = new SourceFile('input.falx', readFileSync(path, 'utf8'));
  const readFile = (p: string): string | undefined => (existsSync(p) ? readFileSync(p, 'utf8') : undefined);
  const upstream = importsUpstream(dir) ? new SourceFile('falco_rules.yaml', readUpstreamRules()) : undefined;
  // Keys resolve against the case folder, so imports between case files work.
  const program = compileProgram([entry], { catalog, readFile, displayPath: (p) => relative(dir, p), ...(upstream ? { upstream } : {}) });
  return { program };
}

/** Whether a case's files say `import upstream`: it then needs the upstream rules from ../shared. */
function importsUpstream(dir: string): boolean {
  return readdirSync(dir).some((name) => name.endsWith('.falx') && /^import upstream\b/m.test(readFileSync(join(dir, name), 'utf8')));
}

/** `it`, or `itWithShared` on the upstream rules for a case that imports them. */
function caseTest(dir: string, title: string, test: () => void): void {
  if (importsUpstream(dir)) itWithShared(title, [upstreamRulesPath], test);
  else it(title, test);
}

function cases(suite: string): string[] {
  const root = join(projectRoot, 'test/golden', suite);
  return readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name)).sort();
}

function expectGolden(file: string, actual: string): void {
  if (update || !existsSync(file)) writeFileSync(file, actual);
  expect(actual, relative(projectRoot, file)).to.equal(readFileSync(file, 'utf8'));
}

describe('golden/compile: .falx in, Falco YAML out', () => {
  const previous = process.cwd();
  for (const dir of cases('compile')) {
    caseTest(dir, relative(join(projectRoot, 'test/golden/compile'), dir), () => {
      process.chdir(dir);
      try {
        const { program } = compileCase(dir);
        const errors = program.diagnostics.filter((d) => d.severity !== 'info');
        expect(renderText(errors, { sourceOf: () => undefined, color: false })).to.equal('');
        expectGolden(join(dir, 'expected.yaml'), emitModules(program.modules, { version: 'test' }));
      } finally {
        process.chdir(previous);
      }
    });
  }
});

describe('golden/enforce: .falx policies in, Kubernetes and Cilium network policies out', () => {
  for (const dir of cases('enforce')) {
    caseTest(dir, relative(join(projectRoot, 'test/golden/enforce'), dir), () => {
      const { program } = compileCase(dir);
      const texts = new Map(program.sources.map((f) => [f.path, f.text]));
      expect(renderText(program.diagnostics, { sourceOf: (f) => texts.get(f), color: false })).to.equal('');
      const notes: string[] = [];
      for (const target of ['networkpolicy', 'cilium'] as const) {
        const output = networkPoliciesOf(program, target);
        expectGolden(join(dir, `expected.${target}.yaml`), emitNetworkPolicies(output.policies, ['input.falx'], 'test'));
        notes.push(`--target ${target}\n${renderText(sortDiagnostics([...output.notes]), { sourceOf: (f) => texts.get(f), color: false })}`);
      }
      expectGolden(join(dir, 'expected-notes.txt'), notes.join('\n'));
    });
  }
});

describe('golden/diagnostics: .falx with mistakes in, diagnostics out', () => {
  const previous = process.cwd();
  for (const dir of cases('diagnostics')) {
    caseTest(dir, relative(join(projectRoot, 'test/golden/diagnostics'), dir), () => {
      process.chdir(dir);
      try {
        const { program } = compileCase(dir);
        const run = runTests(program, catalog);
        const diagnostics = sortDiagnostics([...program.diagnostics, ...run.diagnostics]);
        const failures = run.results.filter((r) => !r.passed).map((r) => `test failed: ${r.span.file}:${r.span.start.line}: "${r.rule}" should ${r.expect === 'fires' ? 'fire' : 'not fire'}\n`);
        const texts = new Map(program.sources.map((f) => [f.path, f.text]));
        const text = renderText(diagnostics, { sourceOf: (f) => texts.get(f), color: false }) + failures.join('');
        expect(text, 'a diagnostics case must produce findings').to.not.equal('');
        expectGolden(join(dir, 'expected.txt'), text);
      } finally {
        process.chdir(previous);
      }
    });
  }
});
