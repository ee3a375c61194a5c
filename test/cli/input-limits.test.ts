/**
 * What the command line reads is bounded and checked (child processes, as users run falx): stdin
 * and files past 10 MB are refused with FX6003 and exit 2 instead of being read until the process
 * dies, and `falx route test` checks an event as the router's ingest would (FX6004, exit 2).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx } from '../support/falx-cli.ts';

const overTenMegabytes = 10 * 1024 * 1024 + 4096;

/** A valid Falco event of about `bytes` bytes (one long output field). */
function eventOfSize(bytes: number): string {
  const shell = '{"rule":"Terminal shell","priority":"Warning","output":"x","output_fields":{"proc.cmdline":"","proc.name":"bash"}}';
  return shell.replace('"proc.cmdline":""', `"proc.cmdline":"${'a'.repeat(Math.max(0, bytes - shell.length))}"`);
}

describe('falx input limits and event checks (child process)', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-input-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('route test --event - refuses more than 10 MB on stdin cleanly (FX6003, exit 2), and routes a normal event from stdin', async () => {
    const huge = await runFalx(['route', 'test', '--event', '-'], dir, { input: eventOfSize(overTenMegabytes) });
    expect(huge.stderr).to.equal('falx route: error FX6003: stdin is larger than 10 MB, the most falx reads for an event.\n');
    expect(huge.code).to.equal(2);
    expect(huge.stdout).to.equal('');

    const normal = await runFalx(['route', 'test', '--event', '-', '--format', 'json'], dir, { input: eventOfSize(200) });
    expect(normal.stderr).to.equal('');
    expect(normal.code).to.equal(0);
  });

  it('route test checks the event as ingest does: the JSON path of a wrong field, and limits.max_body', async () => {
    writeFileSync(join(dir, 'nested.json'), '{"rule": "R", "priority": "Warning", "output_fields": {"proc.name": {"nested": true}}}');
    const nested = await runFalx(['route', 'test', '--event', 'nested.json'], dir);
    expect(nested.code).to.equal(2);
    expect(nested.stderr).to.equal('falx route: error FX6004: The event in nested.json is not valid at $.output_fields["proc.name"]: Output field "proc.name" must be a string, a number, a boolean, null or a list of strings.\n');

    const unknown = await runFalx(['route', 'test', '--event', '-'], dir, { input: '{"rule": "R", "priority": "Loud"}' });
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^falx route: error FX6004: The event in stdin is not valid at \$\.priority: Unknown priority "Loud"/);

    // The embedded default takes bodies up to 256 KB, as ingest would.
    const large = await runFalx(['route', 'test', '--event', '-'], dir, { input: eventOfSize(300 * 1024) });
    expect(large.code).to.equal(2);
    expect(large.stderr).to.equal(`falx route: error FX6004: The event in stdin is not valid at $: it is ${300 * 1024} bytes, over limits.max_body (256 KB): the router would refuse it (413).\n`);
  });

  it('eval --events - and check refuse more than 10 MB the same way', async () => {
    const events = await runFalx(['eval', '--events', '-', 'proc.name = bash'], dir, { input: `${'{"proc.name": "bash"}\n'.repeat(Math.ceil(overTenMegabytes / 22))}` });
    expect(events.stderr).to.equal('falx eval: error FX6003: stdin is larger than 10 MB, the most falx reads for events.\n');
    expect(events.code).to.equal(2);

    writeFileSync(join(dir, 'huge.yaml'), `${'# padding\n'.repeat(Math.ceil(overTenMegabytes / 10))}- list: empty\n  items: []\n`);
    const check = await runFalx(['check', 'huge.yaml'], dir);
    expect(check.stderr).to.equal('falx check: error FX6003: huge.yaml is larger than 10 MB, the most falx reads for a rules file.\n');
    expect(check.code).to.equal(2);
  });
});
