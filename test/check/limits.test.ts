import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { bigList, doublingLists, doublingMacros, exceptionTuples, macroChain } from '../support/oversized-rules.ts';

/**
 * Inputs that used to crash or hang `falx check` (issue 18): expansion is counted, not performed,
 * walks are not recursive, and the limits are reported where they are reached.
 */
describe('check/limits of list and macro expansion', () => {
  let catalog: Catalog;
  before(() => {
    catalog = new Catalog();
  });
  const check = (text: string): Diagnostic[] => checkRulesFiles([new SourceFile('rules.yaml', text)], catalog).diagnostics;
  const summary = (found: readonly Diagnostic[]): string[] => found.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code}`);
  /** `line:column` (1-based) of the last occurrence of `needle` in `text`. */
  const positionOf = (text: string, needle: string): string => {
    const offset = text.lastIndexOf(needle);
    const before = text.slice(0, offset);
    return `${before.split('\n').length}:${offset - before.lastIndexOf('\n')}`;
  };

  it('checks a list of 2^19 items made by doubling lists, item by item', () => {
    expect(check(doublingLists(18))).to.deep.equal([]);
    // The same list compared with a port field: its items are checked (and reported at the list's items).
    const asPorts = check(doublingLists(18).replace('proc.name in', 'fd.sport in'));
    expect(asPorts.length).to.be.greaterThan(0);
    expect(asPorts.every((d) => d.code === 'FX3013' && d.span?.start.line === 2)).to.equal(true);
  });

  it('reports the first list over 1,000,000 items once (FX1022), not the lists or rule that use it', () => {
    const found = check(doublingLists(30));
    expect(summary(found)).to.deep.equal(['39:9 FX1022']);
    expect(found[0]!.message).to.equal('List "l19" expands to 1,048,576 items, more than the 1,000,000 falx checks; where it is used, its items are not checked. Falco has no such limit, but pastes every item into each condition that uses the list.');
    expect(found[0]!.severity).to.equal('error');
  });

  it('follows a chain of 1,500 macros, and of 10,000, without a stack overflow', () => {
    expect(check(macroChain(1500))).to.deep.equal([]);
    // Event types are computed through the whole chain: without evt.type at its end, Falco warns.
    expect(summary(check(macroChain(10000, 'proc.name = bash')))).to.deep.equal([`${2 * 10000 + 3}:9 LOAD_NO_EVTTYPE`]);
  });

  it('reports a loop of 5,000 macros once, without recursion', () => {
    const looped = macroChain(5000).replace('- macro: m0\n  condition: evt.type = execve\n', '- macro: m0\n  condition: evt.type = execve or m5000\n');
    const found = check(looped).filter((d) => d.code === 'FX2003');
    expect(summary(found)).to.deep.equal(['4:14 FX2003']);
    expect(found[0]!.message).to.match(/^Macro "m0" refers to itself through "m0" -> "m5000" -> "m4999" -> .* -> "m1" -> "m0"\.$/);
  });

  it('counts 30 macros that each use the previous one twice instead of expanding 2^31 nodes (FX1023 at the first over the limit)', () => {
    const found = check(doublingMacros(30));
    expect(summary(found)).to.deep.equal(['40:14 FX1023']);
    expect(found[0]!.message).to.equal('The condition of macro "m19" expands to 1,572,863 nodes and list items once its macros are inlined and its lists pasted; falx accepts at most 1,000,000. Falco has no such limit, but builds all of it in memory.');
    // 18 levels stay within the limit and are checked as usual.
    expect(check(doublingMacros(18))).to.deep.equal([]);
  });

  it('reports a rule whose own condition is over the limit (FX1023 at the rule)', () => {
    const uses = Array.from({ length: 3 }, () => 'l18').join(', ');
    const found = check(doublingLists(18).replace('proc.name in (l18)', `proc.name in (${uses})`));
    expect(summary(found)).to.deep.equal(['41:14 FX1023']);
    // and + (evt.type = execve: check and value) + (proc.name in: check) + 3 x 524,288 items
    expect(found[0]!.message).to.match(/^The condition of rule "R" expands to 1,572,868 nodes and list items/);
  });

  it('stops pasting list items into conditions past 4,000,000 in a run (FX1024 once, at the use)', () => {
    let text = doublingLists(18).replace(/- rule: R[\s\S]*$/, '');
    for (let i = 0; i < 9; i++) text += `- macro: m${i}\n  condition: proc.name in (l18)\n- rule: R${i}\n  desc: d\n  condition: evt.type = execve and m${i}\n  output: x\n  priority: NOTICE\n`;
    const found = check(text);
    // 524,288 items per use: the eighth use is the one that passes 4,000,000.
    expect(summary(found)).to.deep.equal([positionOf(text.slice(0, text.indexOf('- macro: m8')), 'l18)')]
      .map((at) => `${at} FX1024`));
  });

  it('appends to one macro 20,000 times (Falco joins the texts) without copying the text at each append', () => {
    let text = '- macro: m\n  condition: evt.type = execve\n';
    for (let i = 0; i < 20000; i++) text += `- macro: m\n  condition: or proc.name = p${i}\n  override:\n    condition: append\n`;
    text += '- macro: m\n  condition: and proc.pname = q\n  override:\n    condition: append\n';
    text += '- rule: R\n  desc: d\n  condition: m and proc.nme = x\n  output: x\n  priority: NOTICE\n';
    const found = check(text);
    // The last append binds to the last alternative only (FX4004); spans still reach the last pieces;
    // the `or` of appends matches every event type (LOAD_NO_EVTTYPE).
    const rule = 2 + 4 * 20001 + 1;
    expect(summary(found)).to.deep.equal([`${rule - 3}:14 FX4004`, `${rule}:9 LOAD_NO_EVTTYPE`, `${rule + 2}:20 FX2001`]);
  });

  it('looks for misspelled list names among 8,000 lists for 8,000 words within a bounded number of comparisons', () => {
    let text = '';
    for (let i = 0; i < 8000; i++) text += `- list: list_${i}\n  items: [a]\n`;
    const words = ['lsit_7', ...Array.from({ length: 8000 }, (_, i) => `w_${i}`)];
    text += `- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name in (${words.join(', ')}, list_0)\n  output: x\n  priority: NOTICE\n`;
    const found = check(text).filter((d) => d.code !== 'LOAD_UNUSED_LIST');
    // The first word is looked up (and is a near miss); the budget ends the search long before the last words.
    expect(summary(found)).to.deep.equal([`${2 * 8000 + 3}:${text.split('\n')[2 * 8000 + 2]!.indexOf('lsit_7') + 1} FX2012`]);
    expect(found[0]!.hint).to.equal('Did you mean "list_7"?');
  });

  it('reports parentheses nested deeper than the parser reads, truthfully about Falco (FX1001 at the condition)', () => {
    const found = check(`- macro: deep\n  condition: ${'('.repeat(3000)}evt.type = execve${')'.repeat(3000)}\n`);
    expect(summary(found)).to.deep.equal(['2:14 FX1001', '1:10 LOAD_UNUSED_MACRO']);
    expect(found[0]!.message).to.equal('Syntax error in condition: the condition nests parentheses too deeply for falx to read (Falco 0.44 has no such limit; Falco 0.45 and later stop at a nesting depth of 1,000).');
  });

  it('checks one list of 130,000 items, each of them', () => {
    const text = bigList(130000, 'fd.sport', (i) => (i === 129999 ? 'web' : String(i % 65536)));
    expect(summary(check(text))).to.deep.equal([`${positionOf(text, 'web')} FX3013`]);
  });

  it('maps an exception of 4,000 tuples onto the file, to the last value', () => {
    expect(check(exceptionTuples(4000))).to.deep.equal([]);
    const text = exceptionTuples(4000, 'web').replace('fields: [proc.name, fd.name]', 'fields: [proc.name, fd.sport]').replace(/"\/tmp\/f\d+"/g, '80');
    expect(summary(check(text))).to.deep.equal([`${positionOf(text, 'web')} FX3002`]);
  });
});
