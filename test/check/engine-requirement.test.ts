import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

/** The FX4008 findings of a file declaring `declared` with a rule whose condition ends in `uses`. */
function underDeclared(declared: string | undefined, uses: string, extra = ''): { line?: number; message: string; note?: string }[] {
  const header = declared === undefined ? '' : `- required_engine_version: ${declared}\n`;
  const text = `${header}- rule: R\n  desc: d\n  condition: evt.type = execve and ${uses}\n  output: "%proc.name"\n  priority: NOTICE\n${extra}`;
  return checkRulesFiles([new SourceFile('rules.yaml', text)], new Catalog())
    .diagnostics.filter((d) => d.code === 'FX4008')
    .map((d) => ({ line: d.span?.start.line, message: d.message, note: d.notes?.map((n) => `${n.message} at ${n.span?.start.line}:${n.span?.start.column}`).join() }));
}

describe('check/required_engine_version below what the rules need (FX4008)', () => {
  it('warns at the declaration, naming the newest feature used and pointing at its first use', () => {
    expect(underDeclared('0.40.0', 'tolower(proc.name) = bash and join(",", (proc.pname, proc.name)) = x')).to.deep.equal([
      { line: 1, message: 'required_engine_version 0.40.0 is lower than these rules need: The join() transformer needs engine 0.62.0 (Falco 0.44.0).', note: 'The join() transformer is used here at 4:66' },
    ]);
  });

  it('reads the integer form as Falco does (2 is 0.2.0, and says so) and counts rule keys: exceptions need 0.8.0', () => {
    const exceptions = '  exceptions:\n    - name: e\n      fields: [proc.name]\n      values: [[bash]]\n';
    expect(underDeclared('2', 'proc.name = sh', exceptions).map((d) => d.message)).to.deep.equal(['required_engine_version 0.2.0 is lower than these rules need: Rule exceptions needs engine 0.8.0 (Falco 0.28.0).']);
  });

  it('is silent when the declaration is enough, when there is none, and when no versioned feature is used', () => {
    expect(underDeclared('0.62.0', 'join(",", (proc.pname, proc.name)) = x')).to.deep.equal([]);
    expect(underDeclared('0.63.0', 'tolower(proc.name) = bash')).to.deep.equal([]);
    expect(underDeclared(undefined, 'join(",", (proc.pname, proc.name)) = x')).to.deep.equal([]);
    expect(underDeclared('0.26.0', 'proc.name = bash')).to.deep.equal([]);
  });
});
