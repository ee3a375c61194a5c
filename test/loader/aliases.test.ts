import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
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
