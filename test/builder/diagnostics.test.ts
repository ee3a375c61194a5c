import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSources, readFileIfAny } from '../../src/builder/compile-sources.ts';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { itWithShared, projectRoot, readUpstreamRules, upstreamRulesPath } from '../support/corpus.ts';

const api = pathToFileURL(join(projectRoot, 'src/index.ts')).href;

/** Compiles one rules module written into a fresh ES-module package (with the upstream rules from ../shared if it imports them). */
async function compileModule(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'falx-builder-'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'rules.ts'), text);
  const upstream = text.includes('upstream()') ? { upstream: new SourceFile('falco_rules.yaml', readUpstreamRules()) } : {};
  return compileSources([new SourceFile('rules.ts', text)], { catalog: new Catalog(), readFile: readFileIfAny, cwd: dir, ...upstream });
}

describe('builder/diagnostics: what the checker finds in a rules module points into the module', () => {
  itWithShared('reports a bad list item and an unknown output field at the lines that declare them', [upstreamRulesPath], async () => {
    const program = await compileModule(`import { and, f, list, rule, upstream } from '${api}';
const domains = list('bad_domains', 'domain', ['-bad-.com']);
export default [
  upstream(),
  domains,
  rule('Connect to bad', {
    desc: 'x',
    condition: and(upstream.macro('outbound'), f.fd.sip.name.in(domains)),
    output: 'bad (%proc.nmae)',
    priority: 'NOTICE',
  }),
];
`);
    const found = program.diagnostics.map((d) => `${d.code} ${d.span?.file}:${d.span?.start.line}:${d.span?.start.column}`);
    expect(found).to.have.members(['FX1017 rules.ts:2:17', 'FX2006 rules.ts:6:3']);
    expect(program.sources.find((s) => s.path === 'rules.ts')?.text).to.include("list('bad_domains'");
  });

  it('checks upstream.macro names against the upstream rules it is compiled with (tsc does not): an unknown one is FX2002 at its line', async () => {
    const upstream = new SourceFile('falco_rules.yaml', '- macro: spawned_process\n  condition: (evt.type = execve)\n');
    const dir = mkdtempSync(join(tmpdir(), 'falx-builder-'));
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    const text = `import { and, f, rule, upstream } from '${api}';
export default [
  upstream(),
  rule('Shell', {
    desc: 'x',
    condition: and(upstream.macro('spawned_proces'), f.proc.name.eq('bash')),
    output: 'shell (%proc.name)',
    priority: 'NOTICE',
  }),
];
`;
    writeFileSync(join(dir, 'rules.ts'), text);
    const program = await compileSources([new SourceFile('rules.ts', text)], { catalog: new Catalog(), readFile: readFileIfAny, cwd: dir, upstream });
    const errors = program.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.code} ${d.span?.file}:${d.span?.start.line} ${d.message}`)).to.deep.equal(['FX2002 rules.ts:6 Undefined macro "spawned_proces" used in filter.']);
  });

  it('reports a module that exports no declarations (FX9002) and one that throws (FX9001)', async () => {
    const empty = await compileModule('export const x = 1;\n');
    expect(empty.diagnostics.map((d) => d.code)).to.deep.equal(['FX9002']);
    const throwing = await compileModule('throw new Error("not ready");\n');
    expect(throwing.diagnostics.map((d) => d.code)).to.deep.equal(['FX9001']);
    expect(throwing.diagnostics[0]!.message).to.include('not ready');
  });

  it('reports a value that cannot be written as .falx (FX9003) instead of compiling something else', async () => {
    const program = await compileModule(`import { list } from '${api}';
export default [list('my-list' as string, 'string', ['a'])];
`);
    expect(program.diagnostics.map((d) => d.code)).to.deep.equal(['FX9003']);
  });
});
