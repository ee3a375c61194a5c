import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { projectRoot } from '../support/corpus.ts';
import { ruleYaml } from './diff-support.ts';

const falxCommand = `node ${join(projectRoot, 'bin', 'falx.js')}`;
const gitEnv = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', NO_COLOR: '1' };
const rules = `- list: trusted_domains\n  items: [example.com]\n${ruleYaml('Egress', 'evt.type = connect and not fd.sip.name in (trusted_domains)')}`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: gitEnv });
}

/** A git repository with rules/egress.yaml committed on main. */
function rulesRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'falx-ci-repo-'));
  git(dir, 'init', '-q', '-b', 'main');
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'egress.yaml'), rules);
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'rules');
  return dir;
}

describe('examples/ci: the pre-commit hook and the GitHub workflow run as shipped', () => {
  const hook = join(projectRoot, 'examples', 'ci', 'pre-commit-falx.sh');
  const runHook = (cwd: string, env: Record<string, string> = {}): { status: number | null; output: string } => {
    const result = spawnSync('sh', [hook], { cwd, encoding: 'utf8', env: { ...gitEnv, FALX: falxCommand, ...env } });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('pre-commit: passes a stricter change, refuses an expansion unless allowed, refuses findings', () => {
    const repo = rulesRepository();
    writeFileSync(join(repo, 'rules', 'egress.yaml'), rules.replace('WARNING', 'CRITICAL'));
    git(repo, 'add', '.');
    const stricter = runHook(repo);
    expect(stricter.status, stricter.output).to.equal(0);
    expect(stricter.output).to.include('priority-raised');

    writeFileSync(join(repo, 'rules', 'egress.yaml'), rules.replace('[example.com]', '[example.com, evil.com]'));
    git(repo, 'add', '.');
    const expansion = runHook(repo);
    expect(expansion.status).to.equal(1);
    expect(expansion.output).to.include('! trusted-entries-added');
    expect(expansion.output).to.include('commit with FALX_ALLOW_EXPANSION=1 if intended');
    expect(runHook(repo, { FALX_ALLOW_EXPANSION: '1' }).status).to.equal(0);

    // The staged version is checked, not the working tree.
    writeFileSync(join(repo, 'rules', 'egress.yaml'), rules.replace('fd.sip.name', 'fd.sip.nam'));
    git(repo, 'add', '.');
    writeFileSync(join(repo, 'rules', 'egress.yaml'), rules);
    const broken = runHook(repo);
    expect(broken.status).to.equal(1);
    expect(broken.output).to.include('rules/egress.yaml:5:41: error FX2001');
    expect(broken.output).to.include('commit refused');
  });

  it('workflow: its run steps check, write SARIF and diff against the base branch', () => {
    const workflow = parse(readFileSync(join(projectRoot, 'examples', 'ci', '.github', 'workflows', 'falx.yml'), 'utf8')) as {
      env: Record<string, string>;
      jobs: { rules: { steps: { name?: string; run?: string; env?: Record<string, string> }[] } };
    };
    const steps = workflow.jobs.rules.steps.filter((step) => step.run !== undefined && step.run !== 'npm ci');
    expect(steps.map((s) => s.name)).to.deep.equal(['Check (annotations on the pull request)', 'SARIF report', 'Policy diff against the base branch']);

    // A clone whose origin/main has the rules, and a pull-request branch that trusts one more domain.
    const origin = rulesRepository();
    const clone = mkdtempSync(join(tmpdir(), 'falx-ci-clone-'));
    git(clone, 'clone', '-q', origin, '.');
    git(clone, 'checkout', '-qb', 'pr');
    writeFileSync(join(clone, 'rules', 'egress.yaml'), rules.replace('[example.com]', '[example.com, evil.com]'));
    git(clone, 'commit', '-qam', 'trust evil.com');

    const results = steps.map((step) => {
      const script = step.run!.replaceAll('npx falx', falxCommand);
      const env = { ...gitEnv, ...workflow.env, ...(step.env ?? {}), BASE_REF: 'main' };
      const result = spawnSync('bash', ['-e', '-c', script], { cwd: clone, encoding: 'utf8', env });
      return { status: result.status, output: `${result.stdout}${result.stderr}` };
    });
    expect(results[0]!.status, results[0]!.output).to.equal(0);
    expect(results[0]!.output).to.match(/1 file checked in [\d.]+s: 0 errors, 0 warnings\./);
    expect(results[1]!.status, results[1]!.output).to.equal(0);
    expect(existsSync(join(clone, 'falx.sarif'))).to.equal(true);
    expect((JSON.parse(readFileSync(join(clone, 'falx.sarif'), 'utf8')) as { version: string }).version).to.equal('2.1.0');
    expect(results[2]!.status).to.equal(1);
    expect(results[2]!.output).to.include('Policy changes from origin/main:rules to HEAD:rules:');
    expect(results[2]!.output).to.include('! trusted-entries-added');
  });
});
