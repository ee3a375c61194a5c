/**
 * `import upstream` reads the falco_rules.yaml the user's Falco loads: `--upstream FILE`, else the
 * `upstream:` key of the falx configuration, else where Falco installs it; with none, one located
 * error at the import. The upstream file here is a small one written by the test (the real one is
 * another project's), so these tests need nothing from ../shared.
 */
import { expect } from 'chai';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../../src/cli/io.ts';
import { run } from '../../src/cli/run.ts';
import { falcoRulesPath } from '../../src/cli/upstream-rules.ts';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';

const upstreamRules = `- list: shell_binaries
  items: [bash, sh, zsh]

- macro: spawned_process
  condition: (evt.type in (execve, execveat))
`;

const usesUpstream = `import upstream

rule "Shell spawned" {
  desc: "A shell was started."
  condition: spawned_process and proc.name in (shell_binaries)
  output: "Shell (command=%proc.cmdline)"
  priority: NOTICE
}

test "Shell spawned" {
  fires: { evt.type: execve, proc.name: bash }
  ignores: { evt.type: execve, proc.name: ls }
}
`;

const standsAlone = `rule "Bash spawned" {
  desc: "bash was started."
  condition: evt.type = execve and proc.name = bash
  output: "Shell (command=%proc.cmdline)"
  priority: NOTICE
}
`;

/** A project folder: rules.falx (imports upstream), plain.falx (does not), falco/falco_rules.yaml, and `files`. */
function project(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'falx-upstream-'));
  mkdirSync(join(dir, 'falco'));
  writeFileSync(join(dir, 'falco/falco_rules.yaml'), upstreamRules);
  writeFileSync(join(dir, 'rules.falx'), usesUpstream);
  writeFileSync(join(dir, 'plain.falx'), standsAlone);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** The CLI in-process, with Falco's rules "installed" at `installed` (Io.falcoRulesPath). */
async function falxWithInstalled(installed: string, cwd: string, ...args: string[]): Promise<FalxResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    cwd, env: {}, isTTY: false, falcoRulesPath: installed,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    readStdin: () => Promise.resolve(''),
  };
  const code = await run(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const emitted = /^- rule: "Shell spawned"$/m;
const notFound = (installed: string): string =>
  `rules.falx:1:1: error FX1026: "import upstream" needs Falco's rules file (falco_rules.yaml), and there is none: no --upstream FILE option, no "upstream:" key in a falx configuration file (.falx.yaml or falx.config.yaml), and no ${installed}.`;

describe('cli/import upstream: the upstream rules are the user\'s falco_rules.yaml', function () {
  this.timeout(60_000);

  it('--upstream FILE: compile checks the upstream names against it and emits only the file\'s own items', async () => {
    const dir = project();
    const result = await runFalx(['compile', '--upstream', 'falco/falco_rules.yaml', 'rules.falx'], dir);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.match(emitted);
    expect(result.stdout).to.not.include('spawned_process\n');
    expect(result.stdout).to.not.match(/^- macro:/m);
    const tested = await runFalx(['test', '--upstream', 'falco/falco_rules.yaml', 'rules.falx'], dir);
    expect(tested.stdout).to.match(/^falx test: 2 passed, 0 failed, 0 errors/m);
  });

  it('--upstream FILE with "import upstream bundle" emits the upstream items the file uses, from that file', async () => {
    const dir = project({ 'bundled.falx': usesUpstream.replace('import upstream\n', 'import upstream bundle\n') });
    const result = await runFalx(['compile', '--upstream', 'falco/falco_rules.yaml', 'bundled.falx'], dir);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include('- list: "shell_binaries"\n');
    expect(result.stdout).to.include('- macro: "spawned_process"\n  condition: "evt.type in (execve, execveat)"\n');
  });

  it('checks upstream names against the given file: one it does not define is an error', async () => {
    const dir = project({ 'typo.falx': usesUpstream.replace('spawned_process and', 'spawned_proces and') });
    const result = await runFalx(['check', '--upstream', 'falco/falco_rules.yaml', 'typo.falx'], dir);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.match(/^typo\.falx:5:14: error FX2002 .*Undefined macro "spawned_proces"/m);
  });

  it('the "upstream:" key of .falx.yaml, relative to the configuration\'s folder, serves compile, test, check and diff run below it', async () => {
    const dir = project({ '.falx.yaml': 'upstream: falco/falco_rules.yaml\n', 'team/rules.falx': usesUpstream });
    const team = join(dir, 'team');
    const compiled = await runFalx(['compile', 'rules.falx'], team);
    expect(compiled.code, compiled.stderr).to.equal(0);
    expect(compiled.stdout).to.match(emitted);
    expect((await runFalx(['test', 'rules.falx'], team)).stdout).to.match(/^falx test: 2 passed, 0 failed, 0 errors/m);
    const checked = await runFalx(['check', 'rules.falx'], team);
    expect(checked.code, checked.stdout).to.equal(0);
    expect(checked.stdout).to.match(/^1 file checked in [\d.]+s: 0 errors, 0 warnings\.$/m);
    const diffed = await runFalx(['diff', 'rules.falx', 'rules.falx'], team);
    expect(diffed.code, diffed.stderr).to.equal(0);
    expect(diffed.stderr).to.equal('');
  });

  it('--config names the configuration; --upstream comes before its "upstream:" key', async () => {
    const dir = project({ 'ci/falx.config.yaml': 'upstream: ../falco/falco_rules.yaml\n', 'broken.yaml': 'upstream: no/such/falco_rules.yaml\n' });
    const named = await runFalx(['compile', '--config', 'ci/falx.config.yaml', 'rules.falx'], dir);
    expect(named.code, named.stderr).to.equal(0);
    expect(named.stdout).to.match(emitted);
    const overridden = await runFalx(['compile', '--config', 'broken.yaml', '--upstream', 'falco/falco_rules.yaml', 'rules.falx'], dir);
    expect(overridden.code, overridden.stderr).to.equal(0);
  });

  it('where Falco installs its rules (/etc/falco/falco_rules.yaml; Io.falcoRulesPath here) is used when neither is given', async () => {
    const dir = project();
    const result = await falxWithInstalled(join(dir, 'falco/falco_rules.yaml'), dir, 'compile', 'rules.falx');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(emitted);
    expect(falcoRulesPath).to.equal('/etc/falco/falco_rules.yaml');
  });

  it('none found: one located error at the import naming the three places, exit 1, no stack trace; compile writes nothing', async () => {
    const dir = project();
    const installed = join(dir, 'no-falco/falco_rules.yaml');
    const compiled = await falxWithInstalled(installed, dir, 'compile', 'rules.falx');
    expect(compiled.code).to.equal(1);
    expect(compiled.stdout).to.equal('');
    expect(compiled.stderr).to.equal(`${notFound(installed)}\n  |\n1 | import upstream\n  | ^^^^^^^^^^^^^^^\nfalx compile: 1 error; nothing written.\n`);
    const tested = await falxWithInstalled(installed, dir, 'test', 'rules.falx');
    expect(tested.code).to.equal(1);
    expect(tested.stdout).to.include(notFound(installed)).and.match(/^falx test: 0 passed, 0 failed, 1 error /m);
    const checked = await falxWithInstalled(installed, dir, 'check', 'rules.falx');
    expect(checked.code).to.equal(1);
    expect(checked.stdout).to.include(notFound(installed)).and.match(/: 1 error, 0 warnings\./);
    // diff would otherwise compare two empty policies and find nothing: it stops instead.
    const diffed = await falxWithInstalled(installed, dir, 'diff', 'rules.falx', 'rules.falx');
    expect(diffed.code).to.equal(2);
    expect(diffed.stderr).to.include(notFound(installed));
  });

  it('none found, as the real binary runs: the message names /etc/falco/falco_rules.yaml', async function () {
    if (existsSync(falcoRulesPath)) this.skip(); // Falco is installed here: the file would be used.
    const result = await runFalx(['compile', 'rules.falx'], project());
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include(notFound('/etc/falco/falco_rules.yaml'));
    expect(result.stderr).to.not.match(/^\s+at /m);
  });

  it('a file that does not import upstream needs none', async () => {
    const dir = project();
    const result = await falxWithInstalled(join(dir, 'no-falco/falco_rules.yaml'), dir, 'compile', 'plain.falx');
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^- rule: "Bash spawned"$/m);
  });

  it('an explicit choice that cannot be read exits 2 and says which: --upstream, or the configuration\'s key at its line', async () => {
    const dir = project({ 'bad/.falx.yaml': 'max-warnings: 0\nupstream: missing.yaml\n', 'bad/rules.falx': usesUpstream, 'odd/.falx.yaml': 'upstream: [a, b]\n', 'odd/rules.falx': usesUpstream });
    const option = await runFalx(['compile', '--upstream', 'nope.yaml', 'rules.falx'], dir);
    expect(option.code).to.equal(2);
    expect(option.stderr).to.equal('falx compile: error FX6001: Cannot read nope.yaml (--upstream): no such file or directory\n');
    const missing = await runFalx(['compile', 'rules.falx'], join(dir, 'bad'));
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.match(/^falx compile: \/.*\/bad\/\.falx\.yaml:2:11: error FX6101: Cannot read the upstream rules file "missing\.yaml" \(.*\/bad\/missing\.yaml\): no such file or directory\.$/m);
    const odd = await runFalx(['check', 'rules.falx'], join(dir, 'odd'));
    expect(odd.code).to.equal(2);
    expect(odd.stderr).to.match(/\.falx\.yaml:1:11: error FX6101: upstream must be the path of the falco_rules\.yaml your Falco loads/);
  });
});
