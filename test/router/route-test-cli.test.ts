/**
 * `falx route test` as users run it (the built CLI as a child process; `npm run build` first): the
 * whole walk with `continue`, the route where the walk really ends, the routes it never tried, and
 * the receivers the event is delivered to, each once, with the route that notifies it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runFalx } from '../support/falx-cli.ts';
import { falcoEvent } from './support/router-process.ts';

const config = `
receivers:
  - { name: log, type: log }
  - { name: oncall, type: log }
  - { name: team, type: log }
route:
  receivers: [log]
  routes:
    - name: page-warnings
      match: priority >= warning
      receivers: [oncall]
      continue: true
    - name: shells
      match: rule = "Terminal shell in container"
      receivers: [oncall, team]
      group_by: [rule, k8s.ns.name]
      routes:
        - name: shells-kube-system
          match: k8s.ns.name = kube-system
          receivers: [team]
    - name: everything-else
      receivers: [team]
`;

describe('falx route test (CLI)', function () {
  this.timeout(20_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-route-test-'));
    writeFileSync(join(dir, 'router.yaml'), config);
    writeFileSync(join(dir, 'shell.json'), JSON.stringify(falcoEvent()));
    writeFileSync(join(dir, 'other.json'), JSON.stringify(falcoEvent({ rule: 'Other', priority: 'Notice' })));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows every route the event reaches through continue, where the walk ends, and each receiver once', async () => {
    const result = await runFalx(['route', 'test', '--config', 'router.yaml', '--event', 'shell.json'], dir);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.equal(
      [
        'Event: rule "Terminal shell in container", priority Warning, source syscall',
        '',
        'Routes tried:',
        '  root                    matched',
        '    page-warnings         matched  -> delivers, continues  (priority >= warning)',
        '    shells                matched  -> delivers, ends here  (rule = "Terminal shell in container")',
        '      shells-kube-system  no match                         (k8s.ns.name = kube-system)',
        '    everything-else       not tried',
        '',
        'Delivered by: page-warnings, shells',
        'Receivers (each notified once):',
        '  oncall  via page-warnings, one message per event; also reached via shells, not notified again',
        '  team    via shells, grouped by rule, k8s.ns.name',
        '',
      ].join('\n'),
    );
  });

  it('says the same in JSON', async () => {
    const result = await runFalx(['route', 'test', '--config', 'router.yaml', '--event', 'shell.json', '--format', 'json'], dir);
    expect(result.code).to.equal(0);
    const report = JSON.parse(result.stdout) as { steps: { route: string; tried: boolean; matched: boolean; final: boolean; ends: boolean }[]; routes: string[]; receivers: unknown[] };
    expect(report.steps.map(({ route, tried, matched, final, ends }) => [route, tried, matched, final, ends])).to.deep.equal([
      ['root', true, true, false, false],
      ['page-warnings', true, true, true, false],
      ['shells', true, true, true, true],
      ['shells-kube-system', true, false, false, false],
      ['everything-else', false, false, false, false],
    ]);
    expect(report.routes).to.deep.equal(['page-warnings', 'shells']);
    expect(report.receivers).to.deep.equal([
      { receiver: 'oncall', route: 'page-warnings', path: 'root.0', grouped_by: null, also_via: ['shells'] },
      { receiver: 'team', route: 'shells', path: 'root.1', grouped_by: ['rule', 'k8s.ns.name'], also_via: [] },
    ]);
  });

  it('marks the last route as the end when no continue route matched before it', async () => {
    const result = await runFalx(['route', 'test', '--config', 'router.yaml', '--event', 'other.json'], dir);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.equal(
      [
        'Event: rule "Other", priority Notice, source syscall',
        '',
        'Routes tried:',
        '  root               matched',
        '    page-warnings    no match                         (priority >= warning)',
        '    shells           no match                         (rule = "Terminal shell in container")',
        '    everything-else  matched  -> delivers, ends here',
        '',
        'Delivered by: everything-else',
        'Receivers (each notified once):',
        '  team  via everything-else, one message per event',
        '',
      ].join('\n'),
    );
  });
});
