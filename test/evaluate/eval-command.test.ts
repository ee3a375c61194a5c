import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/corpus.ts';

function falx(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(projectRoot, 'bin', 'falx.js'), ...args], { cwd: directory, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const directory = mkdtempSync(join(tmpdir(), 'falx-eval-'));
writeFileSync(join(directory, 'event.json'), '{"proc.name": "bash", "evt.rawtime": 1534527348514632620, "fd.sport": "80"}');
writeFileSync(
  join(directory, 'events.jsonl'),
  [
    '{"output_fields": {"proc.name": "curl", "fd.sport": 443}, "rule": "Outbound", "priority": "Warning", "tags": ["network"]}',
    '{"fields": {"proc.name": "bash"}}',
    '',
    '{"proc.name": "bash", "fd.sport": 80}',
  ].join('\n'),
);
writeFileSync(join(directory, 'broken.jsonl'), '{"proc.name": "bash"}\n{"proc.name": \n');

describe('falx eval (child process)', function () {
  this.timeout(20_000);

  it('prints true or false for one event, with big integers kept exact', () => {
    expect(falx('eval', '--event', 'event.json', 'proc.name = bash and evt.rawtime > 1534527348514632619')).to.include({ status: 0, stdout: 'true\n' });
    expect(falx('eval', '--event', 'event.json', 'fd.sport = http and evt.rawtime > 1534527348514632620')).to.include({ status: 0, stdout: 'false\n' });
  });

  it('prints the matching line indexes of an events file as JSON', () => {
    const result = falx('eval', '--events', 'events.jsonl', '--format', 'json', 'proc.name = bash');
    expect(result.status).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({ ok: true, diagnostics: [], matches: [1, 3] });
  });

  it('evaluates router conditions on Falco alerts with --alert-fields', () => {
    const result = falx('eval', '--events', 'events.jsonl', '--format', 'json', '--alert-fields', 'priority >= notice and tags intersects (network)');
    expect(JSON.parse(result.stdout)).to.deep.equal({ ok: true, diagnostics: [], matches: [0] });
  });

  it('reports diagnostics with exit code 1 instead of evaluating', () => {
    const result = falx('eval', '--events', 'events.jsonl', '--format', 'json', 'proc.nme = bash');
    expect(result.status).to.equal(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { code: string }[]; matches: number[] };
    expect(report.ok).to.equal(false);
    expect(report.diagnostics.map((d) => d.code)).to.deep.equal(['FX2001']);
    expect(report.matches).to.deep.equal([]);
    const text = falx('eval', '--event', 'event.json', 'proc.name =');
    expect(text.status).to.equal(1);
    expect(text.stdout).to.equal('');
    expect(text.stderr).to.match(/<condition>:1:\d+: error FX1001/);
  });

  it('names the file and line of bad input, with exit code 2', () => {
    const broken = falx('eval', '--events', 'broken.jsonl', 'proc.name = bash');
    expect(broken.status).to.equal(2);
    expect(broken.stderr).to.match(/^falx eval: broken\.jsonl:2: invalid JSON/);
    const missing = falx('eval', '--event', 'missing.json', 'proc.name = bash');
    expect(missing.status).to.equal(2);
    expect(missing.stderr).to.equal('falx eval: cannot read missing.json: ENOENT\n');
  });
});
