import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { describeWithShared, readUpstreamRules, upstreamRulesPath } from '../support/corpus.ts';

let upstream = '';

/** Checks upstream with one textual change; the change must apply exactly once. */
function checkBroken(from: string, to: string): Diagnostic[] {
  expect(upstream.split(from).length - 1, `"${from}" occurs once upstream`).to.equal(1);
  const file = new SourceFile('falco_rules.yaml', upstream.replace(from, to));
  return checkRulesFiles([file], new Catalog()).diagnostics;
}

function lineOf(text: string): number {
  return upstream.slice(0, upstream.indexOf(text)).split('\n').length;
}

function expectOnly(found: Diagnostic[], code: string, line: number): Diagnostic {
  const relevant = found.filter((d) => d.severity === 'error' || d.code === code);
  expect(relevant.map((d) => `${d.code}@${d.span?.start.line}: ${d.message}`)).to.have.length(1);
  const [d] = relevant;
  expect(d!.code).to.equal(code);
  expect(d!.span?.start.line).to.equal(line);
  return d!;
}

describeWithShared('check/broken upstream items', [upstreamRulesPath], () => {
  before(() => {
    upstream = readUpstreamRules();
  });

  it('is silent on the untouched upstream rules', () => {
    expect(checkRulesFiles([new SourceFile('falco_rules.yaml', upstream)], new Catalog()).diagnostics).to.deep.equal([]);
  });

  it('reports a misspelled field with a suggestion, on its line and column', () => {
    const d = expectOnly(checkBroken('condition: (proc.name in (shell_binaries))', 'condition: (proc.nme in (shell_binaries))'), 'FX2001', lineOf('condition: (proc.name in (shell_binaries))'));
    expect(d.message).to.equal('Unknown field "proc.nme".');
    expect(d.hint).to.equal('Did you mean "proc.name"?');
    expect(d.span?.start.column).to.equal(15);
  });

  it('reports an operator the field type does not support', () => {
    const d = expectOnly(checkBroken('condition: (evt.num=0)', 'condition: (evt.num contains 0)'), 'FX3001', lineOf('condition: (evt.num=0)'));
    expect(d.message).to.match(/"contains" is not supported for evt\.num \(UINT64\)/);
  });

  it('reports a bad CIDR in a list, on the list item, when the list is used with a network field', () => {
    const d = expectOnly(checkBroken(`'"10.0.0.0/8"'`, `'"10.0.0.0/33"'`), 'FX3013', lineOf(`'"10.0.0.0/8"'`));
    expect(d.message).to.match(/"10\.0\.0\.0\/33" of list "rfc_1918_addresses" is not a valid network/);
  });

  it('reports a network on an address field, pointing to the network field', () => {
    const d = expectOnly(checkBroken('fd.ip != "0.0.0.0"', 'fd.ip != "0.0.0.0/8"'), 'FX3003', lineOf('fd.ip != "0.0.0.0"'));
    expect(d.hint).to.match(/fd\.net/);
  });

  it('reports a bad port in a list used with a port field', () => {
    const d = expectOnly(checkBroken('8443, 53, 4444]', '8443, 53, 44x4]'), 'FX3013', lineOf('8443, 53, 4444]'));
    expect(d.message).to.match(/"44x4" of list "ssh_non_standard_ports" is not a valid port/);
  });

  it('reports an undefined macro', () => {
    const found = checkBroken('condition: (proc.duration <= 5000000000)', 'condition: (proc.duration <= 5000000000 and proc_is_old)');
    const d = expectOnly(found, 'FX2002', lineOf('condition: (proc.duration <= 5000000000)'));
    expect(d.message).to.equal('Undefined macro "proc_is_old" used in filter.');
  });

  it('warns about a misspelled list name, which Falco would compare as text', () => {
    const found = checkBroken('condition: (proc.name in (shell_binaries))', 'condition: (proc.name in (shell_binarys))');
    const d = found.find((x) => x.code === 'FX2012');
    expect(d?.span?.start.line).to.equal(lineOf('condition: (proc.name in (shell_binaries))'));
    expect(d?.hint).to.equal('Did you mean "shell_binaries"?');
  });

  it('reports a macro that refers to itself', () => {
    const found = checkBroken('condition: (container.id != host)', 'condition: (container.id != host and container)');
    const d = expectOnly(found, 'FX2003', lineOf('condition: (container.id != host)'));
    expect(d.message).to.match(/Macro "container" refers to itself/);
  });

  it('reports an unknown event type in a macro', () => {
    const d = expectOnly(checkBroken('condition: (evt.type in (execve, execveat))', 'condition: (evt.type in (execve, exeveat))'), 'FX2009', lineOf('condition: (evt.type in (execve, execveat))'));
    expect(d.message).to.equal('Unknown event type "exeveat".');
  });
});
