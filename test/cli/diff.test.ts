import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { falx, folderWith } from '../diagnostics/support/falx-process.ts';
import { ruleYaml } from './diff-support.ts';

const before = `- list: trusted_domains\n  items: [example.com]\n${ruleYaml('Egress', 'evt.type = connect and not fd.sip.name in (trusted_domains)')}`;
const after = before.replace('[example.com]', '[example.com, evil.com]');

describe('cli/falx diff', () => {
  it('exits 1 and marks the change when the policy may expand', async () => {
    const dir = folderWith({ 'old.yaml': before, 'new.yaml': after });
    const result = await falx(['diff', 'old.yaml', 'new.yaml'], dir);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('  ! trusted-entries-added     Trusted entries added to list "trusted_domains" (used under "not"): evil.com.');
    expect(result.stdout).to.match(/2 changes; 2 may expand the policy/);
  });

  it('exits 0 when the change only makes detection stricter; JSON for tools', async () => {
    const dir = folderWith({ 'old.yaml': after, 'new.yaml': before });
    const result = await falx(['diff', '--format', 'json', 'old.yaml', 'new.yaml'], dir);
    expect(result.code).to.equal(0);
    const report = JSON.parse(result.stdout) as { changes: { kind: string; expands: boolean }[]; summary: { changes: number; expanding: number } };
    expect(report.changes.map((c) => c.kind)).to.deep.equal(['condition-widened', 'trusted-entries-removed']);
    expect(report.summary).to.deep.equal({ changes: 2, expanding: 0 });
  });

  it('compares a path at two git revisions (git show)', async () => {
    const dir = folderWith({});
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q');
    execFileSync('mkdir', ['-p', join(dir, 'rules')]);
    writeFileSync(join(dir, 'rules', 'egress.yaml'), before);
    git('add', '.');
    git('commit', '-qm', 'one');
    writeFileSync(join(dir, 'rules', 'egress.yaml'), after.replace('WARNING', 'INFO'));
    git('commit', '-qam', 'two');
    const result = await falx(['diff', '--git', 'HEAD~1', 'HEAD', 'rules'], dir);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('Policy changes from HEAD~1:rules to HEAD:rules:');
    expect(result.stdout).to.include('priority-lowered          Priority of "Egress" lowered from WARNING to INFORMATIONAL.');
    const missing = await falx(['diff', '--git', 'HEAD~1', 'nope', 'rules'], dir);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/^falx diff: git /);
  });
});
