/**
 * Router configuration: diagnostics with file:line:col (match conditions located inside the YAML,
 * block scalars included), inheritance, `falx serve --check`, the embedded default, and the
 * examples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { run } from '../../src/cli/run.ts';
import type { Io } from '../../src/cli/io.ts';
import { loadRouterConfig, type RouteConfig } from '../../src/router/config.ts';
import { defaultConfigText } from '../../src/router/default-config.ts';
import { projectRoot } from '../support/corpus.ts';

function diagnose(text: string): string[] {
  return loadRouterConfig(text, 'router.yaml', undefined).diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
}

function captureIo(env: Io['env'] = {}): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd: projectRoot, env, isTTY: false, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readStdin: async () => '', out, err };
}

describe('router/config', () => {
  it('reports match condition errors at their line and column inside the YAML', () => {
    const text = [
      'receivers: [{ name: log, type: log }]',
      'route:',
      '  receivers: [log]',
      '  routes:',
      '    - match: priority >= warning and proc.nme = bash',
      '    - match: "rule = x and"',
      '    - match: |',
      '        rule = "Terminal shell"',
      '        and priority >= severe',
      '',
    ].join('\n');
    const found = diagnose(text);
    expect(found.some((line) => line.startsWith('5:38 FX2001 Unknown field "proc.nme".') && line.includes('proc.name'))).to.equal(true, found.join('\n'));
    expect(found.some((line) => line.startsWith('6:27 FX1001'))).to.equal(true, found.join('\n'));
    expect(found.some((line) => line.startsWith('9:13 FX3002') && line.includes('severe'))).to.equal(true, found.join('\n'));
  });

  it('refuses fractional counts, a max_backoff below initial_backoff and zero intervals, each at its line', () => {
    const text = [
      'delivery: { concurrency: 2.5, initial_backoff: 10s, max_backoff: 1s, receiver_concurrency: 4 }',
      'receivers: [{ name: log, type: log }]',
      'route:',
      '  receivers: [log]',
      '  group_by: [rule]',
      '  group_interval: 0s',
      '  repeat_interval: 0ms',
      '',
    ].join('\n');
    const found = diagnose(text);
    expect(found.some((line) => line.startsWith('1:26 FX7002 "concurrency" in "delivery" must be a whole number')), found.join('\n')).to.equal(true);
    expect(found.some((line) => line.startsWith('1:66 FX7002 "max_backoff" in "delivery" must not be shorter than "initial_backoff"')), found.join('\n')).to.equal(true);
    expect(found.some((line) => line.startsWith('6:19 FX7002 "group_interval" in the root route must be at least 1 ms')), found.join('\n')).to.equal(true);
    expect(found.some((line) => line.startsWith('7:20 FX7002 "repeat_interval"')), found.join('\n')).to.equal(true);
  });

  it('reports unknown keys with a suggestion, unknown receivers, types and durations', () => {
    const text = [
      'recievers: []',
      'receivers:',
      '  - { name: log, type: log }',
      '  - { name: chat, type: opsgenie }',
      '  - { name: log, type: log }',
      'route:',
      '  receivers: [log, pager]',
      '  group_wait: soon',
      '  routes: [{ match: "macro_name", receivers: [log] }]',
      '',
    ].join('\n');
    const found = diagnose(text);
    expect(found).to.include.members([
      '1:1 FX7001 Unknown key "recievers" in the router configuration. (Did you mean "receivers"?)',
      '4:25 FX7006 Unknown receiver type "opsgenie"; known types: log, slack, email, webhook, falcosidekick, pagerduty, teams.',
      '5:13 FX7005 Receiver "log" is defined more than once.',
      '8:15 FX7007 "soon" is not a valid duration; write e.g. 500ms, 30s, 5m or 4h.',
    ]);
    expect(found.some((line) => line.startsWith('7:20 FX7004 Receiver "pager" is not defined.'))).to.equal(true, found.join('\n'));
    expect(found.some((line) => line.startsWith('9:22 FX2002'))).to.equal(true, found.join('\n'));
  });

  it('inherits receivers and grouping options from the parent route', () => {
    const text = [
      'receivers: [{ name: a, type: log }, { name: b, type: log }]',
      'route:',
      '  receivers: [a]',
      '  group_by: [rule]',
      '  group_wait: 10s',
      '  routes:',
      '    - match: priority >= error',
      '      group_interval: 1m',
      '      routes: [{ match: source = k8s_audit, receivers: [b] }]',
      '',
    ].join('\n');
    const { config, diagnostics } = loadRouterConfig(text, 'router.yaml', undefined);
    expect(diagnostics).to.deep.equal([]);
    const child = config?.route.routes[0] as RouteConfig;
    const grandchild = child.routes[0] as RouteConfig;
    expect(child.receivers).to.deep.equal(['a']);
    expect(child.grouping).to.deep.equal({ enabled: true, groupBy: ['rule'], groupWaitMs: 10_000, groupIntervalMs: 60_000, repeatIntervalMs: 14_400_000 });
    expect(grandchild.receivers).to.deep.equal(['b']);
    expect(grandchild.grouping.groupIntervalMs).to.equal(60_000);
    expect(grandchild.path).to.equal('root.0.0');
  });

  it('reports a secret that cannot be resolved when secrets are read (serve, serve --check), not when only routing (route test)', () => {
    const text = 'auth: { path_secret: { env: FALX_MISSING } }\nreceivers: [{ name: log, type: log }]\nroute: { receivers: [log] }\n';
    expect(loadRouterConfig(text, 'r.yaml', undefined).diagnostics).to.deep.equal([]);
    const served = loadRouterConfig(text, 'r.yaml', { env: {}, readFile: () => '' });
    expect(served.config).to.equal(undefined);
    expect(served.diagnostics[0]?.message).to.equal('Secret from env FALX_MISSING is not available: environment variable FALX_MISSING is not set.');
  });

  it('ships the embedded default as examples/router/router.default.yaml', () => {
    expect(readFileSync(join(projectRoot, 'examples/router/router.default.yaml'), 'utf8')).to.equal(defaultConfigText);
    expect(loadRouterConfig(defaultConfigText, 'default', { env: {}, readFile: () => '' }).diagnostics).to.deep.equal([]);
  });

  it('falx serve --check exits 0 on the examples and 1 with located diagnostics on errors', async () => {
    // serve --check reads the secrets as serve does: the example's must be set.
    const secrets = {
      FALX_INGEST_SECRET: 'ingest',
      FALX_SIDEKICK_TOKEN: 'sidekick',
      FALX_API_TOKEN: 'api',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SMTP_PASSWORD: 'smtp',
      FALX_WEBHOOK_SECRET: 'whsec',
      FALX_WEBHOOK_TOKEN: 'Bearer hook',
      PAGERDUTY_ROUTING_KEY: 'R0123456789abcdef0123456789abcde',
      TEAMS_WEBHOOK_URL: 'https://example.webhook.office.com/workflows/1/triggers/manual/paths/invoke?sig=x',
    };
    for (const file of ['examples/router/router.yaml', 'examples/router/router.default.yaml', 'examples/router/receivers.yaml']) {
      const io = captureIo(secrets);
      expect(await run(['serve', '--check', '--config', file], io)).to.equal(0, io.err.join(''));
      expect(io.out.join('')).to.contain('valid');
    }
    const io = captureIo();
    expect(await run(['serve', '--check', '--config', 'test/router/fixtures/bad-router.yaml'], io)).to.equal(1);
    expect(io.err.join('')).to.match(/test\/router\/fixtures\/bad-router\.yaml:6:14: error FX2001/);
  });
});
