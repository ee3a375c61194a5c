import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { compileProgram, emitModules } from '../../src/compile/compile-program.ts';
import { runTests } from '../../src/compile/run-tests.ts';
import { renderText } from '../../src/diagnostics/render-text.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { itWithShared, projectRoot, readUpstreamRules, upstreamRulesPath } from '../support/corpus.ts';

const run = promisify(execFile);
const catalog = new Catalog();

function falxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return falxFiles(path);
    return name.endsWith('.falx') ? [path] : [];
  }).sort();
}

/** The rulesets and examples use upstream macros: compiled against the upstream rules from ../shared. */
function compile(path: string, upstream: SourceFile) {
  const readFile = (p: string): string => readFileSync(p, 'utf8');
  return compileProgram([new SourceFile(relative(projectRoot, path), readFile(path))], { catalog, readFile: (p) => readFile(p), displayPath: (p) => relative(projectRoot, p), upstream });
}

let upstreamFile: SourceFile | undefined;
const upstream = (): SourceFile => (upstreamFile ??= new SourceFile('falco_rules.yaml', readUpstreamRules()));

describe('rulesets and examples', () => {
  const files = [...falxFiles(join(projectRoot, 'rulesets')), ...falxFiles(join(projectRoot, 'examples'))];

  it('has the rulesets the product promises', () => {
    const names = files.map((f) => relative(projectRoot, f));
    expect(names).to.include.members(['rulesets/outbound-trusted-domains.falx', 'rulesets/shell-in-container.falx', 'rulesets/restricted-namespaces.falx']);
    expect(names.filter((n) => n.startsWith('examples/seeds/'))).to.have.length(4);
  });

  for (const file of files) {
    const name = relative(projectRoot, file);
    itWithShared(`${name}: compiles, passes its tests, and its YAML passes falx check with no error or warning`, [upstreamRulesPath], () => {
      const program = compile(file, upstream());
      expect(renderText(program.diagnostics, { sourceOf: () => undefined, color: false })).to.equal('');
      const tests = runTests(program, catalog);
      expect(tests.diagnostics).to.deep.equal([]);
      expect(tests.results.length, 'every ruleset and example has tests').to.be.greaterThan(0);
      expect(tests.results.filter((r) => !r.passed).map((r) => `${r.span.start.line}: ${r.rule} ${r.expect}`)).to.deep.equal([]);
      const yaml = new SourceFile(`${name}.yaml`, emitModules(program.modules, { version: 'test' }));
      const checked = checkRulesFiles(program.usesUpstream ? [upstream(), yaml] : [yaml], catalog);
      expect(renderText(checked.diagnostics, { sourceOf: (f) => (f === yaml.path ? yaml.text : undefined), color: false })).to.equal('');
    });
  }

  itWithShared('gives the same bytes for the same input, wherever and however often it runs', [upstreamRulesPath], () => {
    for (const file of files) {
      const first = emitModules(compile(file, upstream()).modules, { version: 'test' });
      expect(emitModules(compile(file, upstream()).modules, { version: 'test' })).to.equal(first);
    }
  });

  itWithShared('runs as the CLI: falx test on every ruleset, falx compile --out-dir, falx check of the output', [upstreamRulesPath], async () => {
    const falx = (...args: string[]) => run('node', [join(projectRoot, 'bin/falx.js'), ...args], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1' } });
    // The rulesets and the seed examples are separate rule sets (both define trusted_domains):
    // compiled together they would clash (FX1028), as they would if Falco loaded both.
    for (const folder of ['rulesets', 'examples/seeds']) {
      const tested = await falx('test', '--upstream', upstreamRulesPath, folder);
      expect(tested.stdout).to.match(/^falx test: \d+ passed, 0 failed, 0 errors/m);
    }
    const out = mkdtempSync(join(tmpdir(), 'falx-rulesets-'));
    await falx('compile', '--upstream', upstreamRulesPath, '--out-dir', out, 'rulesets');
    const outputs = readdirSync(out).sort();
    expect(outputs).to.deep.equal(['outbound-trusted-domains.yaml', 'restricted-namespaces.yaml', 'shell-in-container.yaml']);
    const checked = await falx('check', upstreamRulesPath, ...outputs.map((o) => join(out, o)));
    expect(checked.stdout).to.match(/4 files checked in [\d.]+s: 0 errors, 0 warnings\./);
  });
});
