import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

describe('loader/byte order mark', () => {
  const rules = '- list: shells\n  items: [bash, sh]\n- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name in (shells) and proc.nme = x\n  output: "%proc.name"\n  priority: NOTICE\n';

  it('reads a file that starts with a BOM before a block sequence as Falco does (yaml-cpp skips it)', () => {
    const plain = checkRulesFiles([new SourceFile('rules.yaml', rules)], new Catalog());
    const marked = checkRulesFiles([new SourceFile('rules.yaml', `\ufeff${rules}`)], new Catalog());
    expect(marked.diagnostics.map((d) => d.code)).to.deep.equal(['FX2001']);
    // Lines and columns as without the mark (editors do not show it); offsets still count it.
    const [withMark] = marked.diagnostics;
    const [without] = plain.diagnostics;
    expect(withMark!.span!.start.line).to.equal(without!.span!.start.line);
    expect(withMark!.span!.start.column).to.equal(without!.span!.start.column);
    expect(withMark!.span!.start.offset).to.equal(without!.span!.start.offset + 1);
    expect(marked.ruleset.lists.get('shells')?.definitionSpan.start).to.deep.equal({ offset: 9, line: 1, column: 9 });
  });

  it('locates a mistake on line 1 of a marked file at the column an editor shows', () => {
    const { diagnostics } = checkRulesFiles([new SourceFile('rules.yaml', '\ufeff- lis: x\n')], new Catalog());
    expect(diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`)).to.deep.equal(['1:3 LOAD_UNKNOWN_ITEM']);
  });
});
