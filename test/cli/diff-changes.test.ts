import { expect } from 'chai';
import { parseCondition } from '../../src/language/parse-condition.ts';
import { implies } from '../../src/diff/implication.ts';
import type { Expr } from '../../src/language/ast.ts';
import { policyChangesBetween, ruleYaml } from './diff-support.ts';

const kinds = (before: string, after: string): [string, boolean][] => policyChangesBetween(before, after).map((c) => [c.kind, c.expands]);
const base = ruleYaml('R', 'evt.type = execve and proc.name in (bash, sh)');

describe('falx diff: each kind of policy change (Falco YAML)', () => {
  it('rules added (not an expansion) and removed (an expansion)', () => {
    expect(kinds(base, `${base}${ruleYaml('S', 'evt.type = open')}`)).to.deep.equal([['rule-added', false]]);
    expect(kinds(`${base}${ruleYaml('S', 'evt.type = open')}`, base)).to.deep.equal([['rule-removed', true]]);
  });

  it('rules disabled (expansion) and enabled', () => {
    const off = ruleYaml('R', 'evt.type = execve and proc.name in (bash, sh)', '  enabled: false\n');
    expect(kinds(base, off)).to.deep.equal([['rule-disabled', true]]);
    expect(kinds(off, base)).to.deep.equal([['rule-enabled', false]]);
  });

  it('a widened condition (not an expansion): a superset of values, an extra "or"', () => {
    expect(kinds(base, ruleYaml('R', 'evt.type = execve and proc.name in (bash, sh, zsh)'))).to.deep.equal([['condition-widened', false]]);
    expect(kinds(base, ruleYaml('R', 'evt.type in (execve, execveat) and proc.name in (bash, sh) or evt.type = unlink'))).to.deep.equal([['condition-widened', false]]);
  });

  it('a narrowed condition (an expansion): an extra "and", a shorter prefix replaced by a longer one', () => {
    expect(kinds(base, ruleYaml('R', 'evt.type = execve and proc.name in (bash, sh) and container.id != host'))).to.deep.equal([['condition-narrowed', true]]);
    expect(kinds(ruleYaml('R', 'evt.type = open and fd.name startswith /etc'), ruleYaml('R', 'evt.type = open and fd.name startswith /etc/ssh'))).to.deep.equal([['condition-narrowed', true]]);
  });

  it('a change it cannot decide (treated as a possible expansion)', () => {
    expect(kinds(base, ruleYaml('R', 'evt.type = execve and proc.pname in (bash, sh)'))).to.deep.equal([['condition-undecided', true]]);
  });

  it('sees through macros and lists: the expanded conditions are compared', () => {
    const prelude = `- list: shells\n  items: [bash, sh]\n- macro: spawned\n  condition: evt.type = execve\n`;
    const before = `${prelude}${ruleYaml('R', 'spawned and proc.name in (shells)')}`;
    const reworded = `${prelude}${ruleYaml('R', 'proc.name in (sh, bash) and evt.type = execve')}`;
    expect(kinds(before, reworded)).to.deep.equal([['condition-reworded', false]]);
  });

  it('trusted entries added to an allow-list (expansion), detection entries added to a detection list (not)', () => {
    const rules = (trusted: string, shells: string): string =>
      `- list: trusted_domains\n  items: [${trusted}]\n- list: shells\n  items: [${shells}]\n${ruleYaml('Egress', 'evt.type = connect and not fd.sip.name in (trusted_domains)')}${ruleYaml('Shell', 'evt.type = execve and proc.name in (shells)')}`;
    const changes = policyChangesBetween(rules('example.com', 'bash'), rules('example.com, evil.com', 'bash, zsh'));
    expect(changes.map((c) => [c.kind, c.subject.name, c.values, c.expands])).to.deep.equal([
      ['condition-narrowed', 'Egress', undefined, true],
      ['condition-widened', 'Shell', undefined, false],
      ['trusted-entries-added', 'trusted_domains', ['evil.com'], true],
      ['detection-entries-added', 'shells', ['zsh'], false],
    ]);
  });

  it('values added to a "not ... in (...)" set of a condition (networks, ports, binaries)', () => {
    const changes = policyChangesBetween(
      ruleYaml('R', 'evt.type = connect and not fd.snet in (10.0.0.0/8) and not fd.sport in (443)'),
      ruleYaml('R', 'evt.type = connect and not fd.snet in (10.0.0.0/8, 0.0.0.0/0) and not fd.sport in (443, 22)'),
    );
    expect(changes.filter((c) => c.kind === 'trusted-values-added').map((c) => c.values)).to.deep.equal([['0.0.0.0/0'], ['22']]);
    expect(changes.every((c) => c.expands)).to.equal(true);
  });

  it('priorities lowered (expansion) and raised', () => {
    const notice = base.replace('WARNING', 'NOTICE');
    expect(kinds(base, notice)).to.deep.equal([['priority-lowered', true]]);
    expect(kinds(notice, base.replace('WARNING', 'critical'))).to.deep.equal([['priority-raised', false]]);
  });

  it('exceptions added (expansion), and values added to an existing exception', () => {
    const exception = (values: string): string => `  exceptions:\n    - name: ci\n      fields: [container.image.repository]\n      values: [${values}]\n`;
    const withOne = ruleYaml('R', 'evt.type = execve and proc.name in (bash, sh)', exception('[ghcr.io/acme/runner]'));
    expect(kinds(base, withOne)).to.deep.equal([['exception-added', true], ['condition-narrowed', true]]);
    const withTwo = ruleYaml('R', 'evt.type = execve and proc.name in (bash, sh)', exception('[ghcr.io/acme/runner], [docker.io/library/alpine]'));
    const changes = policyChangesBetween(withOne, withTwo);
    expect(changes.map((c) => [c.kind, c.values, c.expands])).to.deep.equal([['exception-values-added', ['docker.io/library/alpine'], true], ['condition-narrowed', undefined, true]]);
  });
});

describe('falx diff: the implication check is sound', () => {
  const expr = (text: string): Expr => {
    const parsed = parseCondition(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.expr;
  };
  it('proves what holds for every event and nothing else', () => {
    expect(implies(expr('proc.name = bash'), expr('proc.name in (bash, sh)'))).to.equal(true);
    expect(implies(expr('proc.name in (bash, sh)'), expr('proc.name = bash'))).to.equal(undefined);
    // != is false on a missing field, "not =" is true there: only one direction holds.
    expect(implies(expr('proc.name != bash'), expr('not proc.name = bash'))).to.equal(true);
    expect(implies(expr('not proc.name = bash'), expr('proc.name != bash'))).to.equal(undefined);
    // Two values of one field are not related by falx (they could be spellings of one number).
    expect(implies(expr('fd.sport = 80'), expr('not fd.sport = 443'))).to.equal(undefined);
    expect(implies(expr('a and b'), expr('b'))).to.equal(true);
    expect(implies(expr('a'), expr('a or b'))).to.equal(true);
  });

  it('says undecided, not "no", beyond 20 variables unless the common parts settle it', () => {
    const many = Array.from({ length: 24 }, (_, i) => `proc.name = p${i}`).join(' or ');
    expect(implies(expr(`(${many}) and evt.type = open`), expr(`(${many}) and evt.type = open or evt.type = close`))).to.equal(true);
    expect(implies(expr(`(${many}) and evt.type = open`), expr(`(${many}) and proc.pid = 1`))).to.equal(undefined);
  });
});

describe('falx diff: equivalent spellings are not changes', () => {
  it('"f != v" and "not f = v" trust the same value', () => {
    const found = kinds(ruleYaml('R', 'evt.type = execve and proc.name != a'), ruleYaml('R', 'evt.type = execve and not proc.name = a'));
    expect(found.filter(([kind]) => kind.startsWith('trusted-values'))).to.deep.equal([]);
  });

  it('an exception value with a space, quoted or left for Falco to quote, is the same value', () => {
    const exception = (value: string) => `  exceptions:\n    - name: e\n      fields: [fd.name]\n      values: [[${value}]]\n`;
    const before = ruleYaml('R', 'evt.type = open', exception('/a b'));
    const after = ruleYaml('R', 'evt.type = open', exception(`'"/a b"'`));
    expect(kinds(before, after)).to.deep.equal([]);
  });
});
