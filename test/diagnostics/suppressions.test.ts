import { expect } from 'chai';
import { diagnostic } from '../../src/diagnostics/create.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { applySuppressions } from '../../src/diagnostics/suppressions.ts';

const at = (line: number) => ({ file: 'r.yaml', start: { offset: 0, line, column: 3 }, end: { offset: 0, line, column: 9 } });

describe('diagnostics/suppressions', () => {
  const text = [
    '# falx-disable LOAD_NO_EVTTYPE -- the whole file is for audit events',
    '- list: a',
    '# falx-disable-next-line LOAD_UNUSED_LIST, FX4002 -- kept for users',
    '- list: b',
    '- list: c   # falx-disable-next-line LOAD_UNUSED_MACRO',
    '- macro: d',
  ].join('\n');
  const found: Diagnostic[] = [
    diagnostic('LOAD_UNUSED_LIST', at(2)),
    diagnostic('LOAD_UNUSED_LIST', at(4)),
    diagnostic('LOAD_UNUSED_MACRO', at(6)),
    diagnostic('LOAD_NO_EVTTYPE', at(6)),
    diagnostic('FX2001', at(4), { field: 'proc.nme' }),
    diagnostic('LOAD_UNUSED_LIST', { ...at(4), file: 'other.yaml' }),
  ];

  it('hides the named codes on the next line, file-wide, and after content on a line', () => {
    const result = applySuppressions('r.yaml', text, found);
    expect(result.suppressed).to.equal(3);
    expect(result.kept.map((d) => `${d.span?.file}:${d.span?.start.line} ${d.code}`)).to.deep.equal(['r.yaml:2 LOAD_UNUSED_LIST', 'r.yaml:4 FX2001', 'other.yaml:4 LOAD_UNUSED_LIST']);
    expect(result.problems).to.deep.equal([]);
  });

  it('never hides an error Falco reports, and warns about unknown codes, located on the code', () => {
    const result = applySuppressions('r.yaml', '- list: x\n# falx-disable-next-line FX2001, NOPE\n- macro: m\n', [diagnostic('FX2001', at(3), { field: 'proc.nme' })]);
    expect(result.kept.map((d) => d.code)).to.deep.equal(['FX2001']);
    expect(result.problems.map((d) => [d.code, d.span?.start.line, d.span?.start.column, d.span?.end.column])).to.deep.equal([['FX6105', 2, 26, 32], ['FX6104', 2, 34, 38]]);
  });

  it('requires codes: a bare comment silences nothing', () => {
    const result = applySuppressions('r.yaml', '# falx-disable-next-line\n- list: b\n# falx-disable-next-line   \n- list: c\n', [diagnostic('LOAD_UNUSED_LIST', at(2))]);
    expect(result.kept).to.have.length(1);
  });
});
