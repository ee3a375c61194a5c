import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import type { Scalar } from '../../src/loader/items.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

describe('loader/YAML aliases', () => {
  it('resolves *name in scalars and sequences, as Falco does', () => {
    const yaml = `- list: base\n  items: &shells [bash, sh]\n- rule: R\n  desc: &d "A description"\n  condition: evt.type = execve and proc.name in (base)\n  output: "%proc.name"\n  priority: NOTICE\n- rule: S\n  desc: *d\n  condition: evt.type = open\n  output: "%fd.name"\n  priority: NOTICE\n  tags: *shells\n`;
    const checked = checkRulesFiles([new SourceFile('rules.yaml', yaml)], new Catalog());
    expect(checked.diagnostics).to.deep.equal([]);
    const rule = checked.ruleset.rules.get('S');
    expect(rule?.desc).to.equal('A description');
    expect([...(rule?.tags ?? [])]).to.deep.equal(['bash', 'sh']);
  });
});

describe('loader/YAML aliases at any depth, as yaml-cpp resolves them', () => {
  const check = (yaml: string) => checkRulesFiles([new SourceFile('rules.yaml', yaml)], new Catalog());
  const rule = (name: string, condition: string): string => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: "%proc.name"\n  priority: NOTICE\n`;

  it('resolves an alias inside a sequence: an item of a list', () => {
    const checked = check(`- list: shells\n  items: [&x bash, *x, sh]\n${rule('R', 'evt.type = execve and proc.name in (shells)')}`);
    expect(checked.diagnostics).to.deep.equal([]);
    expect(checked.lists.get('shells')?.map((value) => value.text)).to.deep.equal(['bash', 'bash', 'sh']);
  });

  it('resolves a top-level alias of a whole rule mapping, defined again where the alias stands', () => {
    const checked = check(`- &r\n  rule: R\n  desc: d\n  condition: evt.type = execve\n  output: "%proc.name"\n  priority: NOTICE\n- *r\n`);
    expect(checked.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`)).to.deep.equal(['7:3 FX2004']);
    expect(checked.ruleset.rules.get('R')?.priority?.value).to.equal('NOTICE');
  });

  it('resolves aliases in exception values and as mapping keys', () => {
    const yaml = `- rule: R\n  desc: d\n  condition: evt.type = execve\n  output: "%proc.name"\n  priority: &p NOTICE\n  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      values: [[&n bash, /tmp], [*n, /var]]\n- rule: S\n  desc: d\n  condition: evt.type = open\n  output: "%fd.name"\n  &k priority : *p\n- rule: T\n  desc: d\n  condition: evt.type = close\n  output: "%fd.name"\n  *k : WARNING\n`;
    const checked = check(yaml);
    expect(checked.diagnostics).to.deep.equal([]);
    expect(checked.ruleset.rules.get('R')?.exceptions[0]?.values.map((tuple) => (tuple as readonly Scalar[]).map((v) => v.value))).to.deep.equal([['bash', '/tmp'], ['bash', '/var']]);
    expect(checked.ruleset.rules.get('S')?.priority?.value).to.equal('NOTICE');
    expect(checked.ruleset.rules.get('T')?.priority?.value).to.equal('WARNING');
  });

  it('takes the latest anchor of a name defined before the alias', () => {
    const checked = check(`- list: a\n  items: [&x one, *x, &x two, *x]\n${rule('R', 'evt.type = execve and proc.name in (a)')}`);
    expect(checked.lists.get('a')?.map((value) => value.text)).to.deep.equal(['one', 'one', 'two', 'two']);
  });

  it('reports an alias whose anchor is not defined before it, as yaml-cpp fails to parse it', () => {
    const checked = check(`- list: a\n  items: [*later, &later x]\n`);
    expect(checked.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}`)).to.deep.equal([
      '2:11 FX1003 Invalid YAML: the anchor "later" of this alias is not defined before it.',
    ]);
  });

  it('stops at aliases of aliases that would repeat billions of nodes (FX1025, located)', () => {
    let yaml = '- list: l0\n  items: &a0 [x, x]\n';
    for (let i = 1; i <= 40; i++) yaml += `- list: l${i}\n  tags: &a${i} [*a${i - 1}, *a${i - 1}]\n`;
    const checked = check(yaml);
    expect(checked.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`)).to.deep.equal(['42:21 FX1025']);
    expect(checked.diagnostics[0]!.message).to.equal('The aliases of this YAML document repeat more than 10,000,000 nodes and characters, the most falx reads; this alias and those after it are not resolved. Falco has no such limit, but reads every repeated node again.');
  });
});
