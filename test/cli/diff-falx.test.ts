import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { policyFromFiles } from '../../src/diff/load-policy.ts';
import type { PolicyModel } from '../../src/diff/policy-model.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { projectRoot } from '../support/corpus.ts';
import { policyChangesBetween } from './diff-support.ts';

const catalog = new Catalog();
const falxPolicy = (text: string): PolicyModel => policyFromFiles([new SourceFile('rules.falx', text)], { catalog, readFile: () => undefined }).model;
const kinds = (before: string, after: string): [string, boolean][] => policyChangesBetween(before, after, falxPolicy).map((c) => [c.kind, c.expands]);

const rule = (condition: string, extra = '') => `rule "R" {\n  desc: "d"\n  condition: ${condition}\n  output: "%proc.name"\n  priority: WARNING\n${extra}}\n`;
const domains = (items: string) => `list trusted_domains: domain[] = [${items}]\n`;
const egress = 'evt.type = connect and not fd.sip.name in (trusted_domains)';

describe('falx diff: policy changes in .falx', () => {
  it('a trusted domain added to a typed allow-list (expansion)', () => {
    const found = kinds(`${domains('github.com')}${rule(egress)}`, `${domains('github.com, evil.example.net')}${rule(egress)}`);
    expect(found.some(([kind, expands]) => expands && /trusted|list/.test(kind)), JSON.stringify(found)).to.equal(true);
  });

  it('a rule disabled (expansion), a priority lowered (expansion)', () => {
    expect(kinds(rule('evt.type = execve'), rule('evt.type = execve', '  enabled: false\n'))).to.deep.equal([['rule-disabled', true]]);
    const lowered = rule('evt.type = execve').replace('WARNING', 'NOTICE');
    expect(kinds(rule('evt.type = execve'), lowered)).to.deep.equal([['priority-lowered', true]]);
  });

  it('widened, narrowed and undecided conditions', () => {
    const base = rule('evt.type = execve and proc.name in (bash, sh)');
    expect(kinds(base, rule('evt.type = execve and proc.name in (bash, sh, zsh)'))).to.deep.equal([['condition-widened', false]]);
    expect(kinds(base, rule('evt.type = execve and proc.name in (bash, sh) and container.id != host'))).to.deep.equal([['condition-narrowed', true]]);
    expect(kinds(base, rule('evt.type = execve and proc.pname in (bash, sh)'))).to.deep.equal([['condition-undecided', true]]);
  });

  it('an exception added (expansion)', () => {
    const exception = '  exception known {\n    fields: [proc.pname]\n    values: [[systemd]]\n  }\n';
    const found = kinds(rule('evt.type = execve and proc.name = bash'), rule('evt.type = execve and proc.name = bash', exception));
    expect(found.some(([kind, expands]) => expands && /exception/.test(kind)), JSON.stringify(found)).to.equal(true);
  });

  it('runs as the CLI on two .falx files, exit 1 when the change expands the policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-diff-falx-'));
    writeFileSync(join(dir, 'old.falx'), `${domains('github.com')}${rule(egress)}`);
    writeFileSync(join(dir, 'new.falx'), `${domains('github.com, evil.example.net')}${rule(egress)}`);
    const result = await promisify(execFile)('node', [join(projectRoot, 'bin/falx.js'), 'diff', join(dir, 'old.falx'), join(dir, 'new.falx')]).then(
      () => ({ code: 0 }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );
    expect(result.code).to.equal(1);
  });
});
