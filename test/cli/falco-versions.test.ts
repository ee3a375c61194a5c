/**
 * `falx check --falco-version`: each release accepts exactly what it accepts. One test per
 * difference between Falco 0.44 (libs 0.25.4, engine 0.62.0) and 0.45 (libs 0.26, engine 0.63.0),
 * each seen in the real engines' verdicts (tools/differential/README.md), through the real CLI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runFalx } from '../support/falx-cli.ts';

function rulesFile(condition: string, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'falx-versions-'));
  const path = join(dir, 'rules.yaml');
  writeFileSync(path, `${extra}- rule: r\n  desc: d\n  condition: ${JSON.stringify(condition)}\n  output: o\n  priority: INFO\n`);
  return path;
}

interface Outcome {
  readonly errors: string[];
  readonly warnings: string[];
}

async function check(path: string, falcoVersion: string): Promise<Outcome> {
  const result = await runFalx(['check', '--format', 'json', '--falco-version', falcoVersion, path]);
  const report = JSON.parse(result.stdout) as { diagnostics: { code: string; severity: string; message: string }[] };
  return {
    errors: report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`),
    warnings: report.diagnostics.filter((d) => d.severity !== 'error').map((d) => d.code),
  };
}

describe('cli/falx check --falco-version 0.44 and 0.45', function () {
  this.timeout(60_000);

  it('\\xHH escapes: 0.45 reads them, 0.44 refuses \\x; a bad one is refused by both, 0.45 naming it whole', async () => {
    const hex = rulesFile('evt.type = execve and proc.name = "\\x62ash"');
    expect((await check(hex, '0.45')).errors).to.deep.equal([]);
    expect((await check(hex, '0.44')).errors).to.deep.equal(['FX1002 Unsupported escape sequence "\\x" in a quoted string.']);
    const bad = rulesFile('evt.type = execve and proc.name = "\\xg1"');
    expect((await check(bad, '0.45')).errors).to.deep.equal(['FX1002 Unsupported escape sequence "\\xg1" in a quoted string.']);
    expect((await check(bad, '0.44')).errors).to.have.length(1);
    const truncated = rulesFile('evt.type = execve and proc.name = "\\xf"');
    expect((await check(truncated, '0.45')).errors).to.deep.equal(['FX1002 Unsupported escape sequence "\\xf" in a quoted string.']);
  });

  it('a NUL byte (\\x00): refused in a string, kept in a buffer (0.45)', async () => {
    expect((await check(rulesFile('evt.type = execve and proc.name = "a\\x00b"'), '0.45')).errors).to.have.length(1);
    expect((await check(rulesFile('evt.type = write and evt.buffer contains "\\x00"'), '0.45')).errors).to.deep.equal([]);
  });

  it('the depth limit: 199 nested parentheses are refused by 0.45 and read by 0.44; 198 by both', async () => {
    const nested = (n: number): string => `${'('.repeat(n)}evt.type = execve and proc.name = x${')'.repeat(n)}`;
    expect((await check(rulesFile(nested(199)), '0.45')).errors[0]).to.match(/^FX1001 Syntax error in condition: exceeded max depth limit of 1000/);
    expect((await check(rulesFile(nested(199)), '0.44')).errors).to.deep.equal([]);
    expect((await check(rulesFile(nested(198)), '0.45')).errors).to.deep.equal([]);
    const transformers = (n: number): string => `evt.type = execve and ${'tolower('.repeat(n)}proc.name${')'.repeat(n)} = x`;
    expect((await check(rulesFile(transformers(498)), '0.45')).errors).to.have.length(1);
    expect((await check(rulesFile(transformers(497)), '0.45')).errors).to.deep.equal([]);
  });

  it('a condition that can never match (evt.num = 0): LOAD_NO_EVTTYPE from 0.44 only', async () => {
    const never = rulesFile('evt.num = 0');
    expect((await check(never, '0.44')).warnings).to.deep.equal(['LOAD_NO_EVTTYPE']);
    expect((await check(never, '0.45')).warnings).to.deep.equal([]);
    // Still too many event types in both: a tautology on evt.num says nothing about the type.
    expect((await check(rulesFile('evt.num > 0'), '0.45')).warnings).to.deep.equal(['LOAD_NO_EVTTYPE']);
  });

  it('required_engine_version 0.63.0: 0.45 loads the file, 0.44 (engine 0.62.0) refuses it', async () => {
    const path = rulesFile('evt.type = execve', '- required_engine_version: 0.63.0\n');
    expect((await check(path, '0.45')).errors).to.deep.equal([]);
    expect((await check(path, '0.44')).errors).to.deep.equal(['FX3101 Rules require engine version 0.63.0, but Falco 0.44 has engine version 0.62.0.']);
  });

  it('checks a list of releases in one run, per release, exit 1 when one refuses', async () => {
    const path = rulesFile('evt.type = execve and proc.name = "\\x62ash"');
    const text = await runFalx(['check', '--falco-version', '0.44,0.45', path]);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(/^== Falco 0\.44\n[\s\S]*1 file checked in [\d.]+s: 1 error, 0 warnings\. Target: Falco 0\.44\.\n== Falco 0\.45\n1 file checked in [\d.]+s: 0 errors, 0 warnings\. Target: Falco 0\.45\.\n$/);
    const json = JSON.parse((await runFalx(['check', '--format', 'json', '--falco-version', '0.44,0.45', path])).stdout) as { versions: { falcoVersion: string; summary: { errors: number } }[] };
    expect(json.versions.map((v) => [v.falcoVersion, v.summary.errors])).to.deep.equal([['0.44', 1], ['0.45', 0]]);
    const github = await runFalx(['check', '--format', 'github', '--falco-version', '0.44,0.45', path]);
    expect(github.stdout).to.include('[Falco 0.44] Unsupported escape sequence');
    expect((await runFalx(['check', '--falco-version', '0.46', path])).stderr).to.include('unknown Falco version "0.46"; falx knows Falco 0.26 to 0.45');
  });

  it('required_plugin_versions against the plugins the release loads, and --plugin', async () => {
    const path = rulesFile('evt.type = execve', '- required_plugin_versions:\n    - name: k8saudit\n      version: 0.7.0\n');
    expect((await check(path, '0.45')).errors).to.deep.equal(['FX1031 Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0).']);
    const withPlugin = await runFalx(['check', '--plugin', 'k8saudit@0.11.0', path]);
    expect(withPlugin.code).to.equal(0);
    const older = await runFalx(['check', '--format', 'json', '--plugin', 'k8saudit@0.6.0', path]);
    expect(older.stdout).to.include("Plugin 'k8saudit' version '0.6.0' is not compatible with required plugin version '0.7.0'.");
  });
});
