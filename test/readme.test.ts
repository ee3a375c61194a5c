import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Catalog } from '../src/check/catalog/catalog.ts';
import { compileProgram } from '../src/compile/compile-program.ts';
import { runTests } from '../src/compile/run-tests.ts';
import { SourceFile } from '../src/loader/source-file.ts';
import { itWithShared, projectRoot, readUpstreamRules, upstreamRulesPath } from './support/corpus.ts';

describe('README', () => {
  // The example says "import upstream": it compiles against the upstream rules from ../shared.
  itWithShared('shows a .falx example that compiles without a finding and passes its tests', [upstreamRulesPath], () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const example = /### The `\.falx` language[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'the language section has an example').to.be.a('string');
    const catalog = new Catalog();
    const upstream = new SourceFile('falco_rules.yaml', readUpstreamRules());
    const program = compileProgram([new SourceFile('README.falx', example!)], { catalog, readFile: () => undefined, upstream });
    expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).to.deep.equal([]);
    const run = runTests(program, catalog);
    expect(run.results.length).to.be.greaterThan(0);
    expect(run.results.every((r) => r.passed)).to.equal(true);
  });
});
