import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

const codes = (base: string, appended: string) =>
  checkRulesFiles([new SourceFile('rules.yaml', `- macro: web\n  condition: ${base}\n- macro: web\n  condition: ${appended}\n  override:\n    condition: append\n- rule: R\n  desc: d\n  condition: evt.type = execve and web\n  output: "%proc.name"\n  priority: NOTICE\n`)], new Catalog()).diagnostics.map((d) => [d.code, d.span?.start.line]);

describe('check/append precedence', () => {
  it('warns when an appended "and" binds only to the last alternative of a top-level "or"', () => {
    expect(codes('proc.name = nginx or proc.name = httpd', 'and container.id != host')).to.deep.equal([['FX4004', 4]]);
  });

  it('is silent when the original is parenthesised, has no top-level "or", or the append is an "or"', () => {
    expect(codes('(proc.name = nginx or proc.name = httpd)', 'and container.id != host')).to.deep.equal([]);
    expect(codes('proc.name = nginx and proc.pname = "a or b"', 'and container.id != host')).to.deep.equal([]);
    expect(codes('proc.name = nginx or proc.name = httpd', 'or proc.name = caddy')).to.deep.equal([]);
  });
});
