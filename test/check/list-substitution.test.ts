import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

const check = (condition: string) =>
  checkRulesFiles([new SourceFile('rules.yaml', `- list: shells\n  items: [bash, sh]\n- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name in (shells) and ${condition}\n  output: "%proc.name"\n  priority: NOTICE\n`)], new Catalog()).diagnostics;

describe('check/Falco list substitution as text', () => {
  it('warns when a quoted value holds a list name as a word, which Falco would replace', () => {
    const found = check('proc.cmdline = "run shells now"');
    expect(found.map((d) => [d.code, d.span?.start.line, d.span?.start.column])).to.deep.equal([['FX4001', 5, 77]]);
  });

  it('stays silent where Falco does not substitute: next to the quotes, or part of a longer word', () => {
    expect(check('proc.cmdline in ("shells", "x shells", "shells y", "myshells now")')).to.deep.equal([]);
  });

  it('reports a list used without parentheses, which Falco turns into broken text', () => {
    expect(check('proc.pname = shells').map((d) => d.code)).to.deep.equal(['FX2013']);
  });
});
