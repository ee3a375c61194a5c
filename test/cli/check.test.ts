import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { itWithShared, upstreamRulesPath } from '../support/corpus.ts';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';


/** Runs the real CLI as a child process and returns its exit code and output. */
const falx = (...args: string[]): Promise<FalxResult> => runFalx(args);

const broken = `- list: trusted_ports
  items: [80, 443, web]

- macro: outbound_web
  condition: evt.type = connect and fd.sport in (trusted_ports)

- rule: Outbound to untrusted network
  desc: test
  condition: outbound_web and not fd.sip in (10.0.0.0/8) and proc.nme = curl
  output: "Connection %fd.name by %proc.name"
  priority: WARNING
`;

describe('cli/falx check', () => {
  itWithShared('reports no error and no warning on upstream falco_rules.yaml (exit 0)', [upstreamRulesPath], async () => {
    const result = await falx('check', upstreamRulesPath);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^1 file checked in [\d.]+s: 0 errors, 0 warnings\.\n$/);
  });

  it('prints file:line:col, the code, a caret excerpt and a hint for each finding (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-check-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, broken);
    const result = await falx('check', file);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include(`${file}:2:20: error FX3013 [LOAD_ERR_COMPILE_CONDITION]: Item "web" of list "trusted_ports" is not a valid port for fd.sport.`);
    expect(result.stdout).to.include(`${file}:9:35: error FX3003 [LOAD_ERR_COMPILE_CONDITION]: "10.0.0.0/8" is a network, but fd.sip holds a single address.`);
    expect(result.stdout).to.include('   = hint: Use fd.snet to match a network, or drop the prefix length.');
    expect(result.stdout).to.include(`${file}:9:62: error FX2001 [LOAD_ERR_COMPILE_CONDITION]: Unknown field "proc.nme".`);
    expect(result.stdout).to.include('9 |   condition: outbound_web and not fd.sip in (10.0.0.0/8) and proc.nme = curl\n  |                                                              ^^^^^^^^');
    expect(result.stdout).to.match(/1 file checked in [\d.]+s: 3 errors, 0 warnings\.\n$/);
  });

  it('writes the JSON report other tools read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-check-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, broken);
    const result = await falx('check', '--format', 'json', file);
    expect(result.code).to.equal(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Record<string, unknown>[]; summary: Record<string, number> };
    expect(report.summary).to.deep.equal({ files: 1, errors: 3, warnings: 0 });
    expect(report.diagnostics[0]).to.include({ code: 'FX3013', severity: 'error', file, line: 2, column: 20, endLine: 2, endColumn: 23 });
  });

  it('says in the JSON summary what the rules need of Falco: the newest feature, its release and engine version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-check-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, '- rule: R\n  desc: d\n  condition: evt.type = execve and tolower(proc.name) = bash and proc.name regex "^ba"\n  output: "%proc.name"\n  priority: NOTICE\n');
    const result = await falx('check', '--format', 'json', file);
    expect(result.code).to.equal(0);
    const report = JSON.parse(result.stdout) as { summary: Record<string, unknown> };
    expect(report.summary).to.deep.equal({ files: 1, errors: 0, warnings: 0, needs: { engineVersion: '0.43.0', falco: '0.39.0', feature: 'The regex operator', file, line: 3, column: 66 } });
  });

  it('names the error falco -V reports, in load order: a rule\'s output before its condition, macros before rules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-check-'));
    const file = join(dir, 'rules.yaml');
    const rule = '- rule: R\n  desc: d\n  condition: evt.type = execve and proc.nme = bash\n  output: "%fd.nam"\n  priority: NOTICE\n';
    // Each finding is a block from its file:line:col header to the next one; the marked one has the note.
    const marked = (stdout: string): string[] => stdout.split(/\n(?=\/)/).filter((block) => block.includes('= note: falco -V reports this error')).map((block) => block.split('\n')[0]!);
    writeFileSync(file, rule);
    const outputFirst = await falx('check', file);
    expect(outputFirst.code).to.equal(1);
    expect(marked(outputFirst.stdout)).to.deep.equal([`${file}:4:12: error FX2006 [LOAD_ERR_COMPILE_OUTPUT]: Unknown field "fd.nam" in output.`]);
    writeFileSync(file, `${rule}- macro: later\n  condition: proc.name in (a\n`);
    const macroFirst = await falx('check', '--format', 'json', file);
    const report = JSON.parse(macroFirst.stdout) as { diagnostics: { code: string; line: number; notes?: { message: string }[] }[] };
    expect(report.diagnostics.filter((d) => d.notes?.some((note) => note.message.startsWith('falco -V reports this error')) === true).map((d) => [d.code, d.line])).to.deep.equal([['FX1001', 7]]);
  });

  it('checks k8s_audit rules with --plugin k8saudit@V --plugin json@V, and skips them as Falco does without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-check-'));
    const file = join(dir, 'k8s_rules.yaml');
    writeFileSync(file, '- required_plugin_versions:\n  - name: k8saudit\n    version: 0.7.0\n- rule: Pod created\n  desc: d\n  condition: jevt.value[/verb] = create and ka.target.resource = pods\n  output: "by %ka.user.name"\n  priority: WARNING\n  source: k8s_audit\n');
    const loaded = await falx('check', '--plugin', 'k8saudit@0.18.0', '--plugin', 'json@0.7.4', file);
    expect(loaded.stdout).to.match(/^1 file checked in [\d.]+s: 0 errors, 0 warnings\.\n$/);
    expect(loaded.code).to.equal(0);
    const bare = await falx('check', file);
    expect(bare.code).to.equal(1);
    expect(bare.stdout).to.include('error FX1031: Plugin requirement not satisfied, must load one of: k8saudit (>= 0.7.0).');
    expect(bare.stdout).to.include('warning LOAD_UNKNOWN_SOURCE: Unknown source k8s_audit, skipping.');
  });

  it('fails on warnings over --max-warnings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-check-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, '- list: unused\n  items: [a]\n');
    expect((await falx('check', file)).code).to.equal(0);
    const result = await falx('check', '--max-warnings', '0', file);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('warning LOAD_UNUSED_LIST: List not referred to by any other rule/macro.');
  });

  it('exits 2 with a clear message for a missing file or a bad option', async () => {
    const missing = await falx('check', 'no/such/rules.yaml');
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('Cannot read no/such/rules.yaml: no such file or directory');
    const badFormat = await falx('check', '--format', 'xml', 'rulesets');
    expect(badFormat.code).to.equal(2);
    expect(badFormat.stderr).to.include('unknown format "xml"');
  });
});

describe('cli/falx check on .falx files', () => {
  it('checks .falx files with the same diagnostics and formats as YAML', async () => {
    const result = await falx('check', '--format', 'json', 'test/golden/diagnostics/typed-lists/input.falx');
    expect(result.code).to.equal(1);
    const report = JSON.parse(result.stdout) as { diagnostics: { code: string; line: number; column: number }[] };
    expect(report.diagnostics.find((d) => d.code === 'FX3015')).to.include({ line: 12, column: 37 });
  });

  itWithShared('is silent on the rulesets, which import upstream (--upstream)', [upstreamRulesPath], async () => {
    const clean = await falx('check', '--upstream', upstreamRulesPath, 'rulesets');
    expect(clean.code).to.equal(0);
    expect(clean.stdout).to.match(/3 files checked in [\d.]+s: 0 errors, 0 warnings\./);
  });

  itWithShared('checks .falx files together with upstream falco_rules.yaml, silent on both', [upstreamRulesPath], async () => {
    const clean = await falx('check', '--upstream', upstreamRulesPath, 'rulesets', upstreamRulesPath);
    expect(clean.code).to.equal(0);
    expect(clean.stdout).to.match(/4 files checked in [\d.]+s: 0 errors, 0 warnings\./);
  });
});
