/**
 * Secrets written literally in the configuration (discouraged, warned about with FX7010) never
 * appear on stdout or stderr: not in the warning's code frame, not in other findings on the same
 * line, not in the router's logs while it serves, fails deliveries and shuts down.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { run } from '../../src/cli/run.ts';
import type { Io } from '../../src/cli/io.ts';
import { projectRoot } from '../support/corpus.ts';
import { SlackStandIn } from './support/slack-stand-in.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';
import { falcoEvent, postEvent, RouterProcess, waitFor } from './support/router-process.ts';

const secrets = ['Path-Secret-1234567890', 'Sidekick-Token-abcdef', 'Api-Token-zyxwvu', 'xoxb-literal-slack-token', 'Smtp-Password-qwerty'];

function config(storageYaml: string, slackUrl: string, extra = ''): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: ${secrets[0]}
  tokens: ["${secrets[1]}"]
  api_tokens: [{ env: NOT_SET_ANYWHERE }, '${secrets[2]}']
storage: ${storageYaml}
delivery: { poll_interval: 50ms, initial_backoff: 50ms, max_backoff: 100ms, drain_timeout: 1s }
receivers:
  - { name: log, type: log }
  - { name: slack, type: slack, token: ${secrets[3]}, channel: "#alerts", api_url: ${slackUrl}, timeout: 2s${extra} }
  - name: email
    type: email
    from: falx@example.test
    to: [ops@example.test]
    smtp: { host: 127.0.0.1, port: 1, tls: none, timeout: 1s, auth: { user: falx, password: ${secrets[4]} } }
route:
  receivers: [log]
  routes:
    - { match: priority >= warning, receivers: [slack, email] }
`;
}

function captureIo(): Io & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd: projectRoot, env: {}, isTTY: false, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readStdin: async () => '', out, err };
}

function expectNoSecret(text: string): void {
  for (const secret of secrets) expect(text, `"${secret}" was printed`).not.to.contain(secret);
}

describe('literal secrets never printed by the configuration checks', function () {
  this.timeout(30_000);
  let dir: string;
  let slack: SlackStandIn;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-secrets-'));
    slack = new SlackStandIn();
    await slack.start();
  });
  afterEach(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('masks them in the code frames of falx serve --check and falx route test, warnings and errors alike', async () => {
    const file = join(dir, 'router.yaml');
    // An unknown key on the Slack token's line: its frame shows that line too.
    writeFileSync(file, config(`{ path: ${join(dir, 'outbox.sqlite')} }`, slack.url, ', colour: red'));
    const check = captureIo();
    expect(await run(['serve', '--check', '--config', file], check)).to.equal(1);
    const stderr = check.err.join('');
    expect(stderr).to.contain('FX7010').and.to.contain('FX7001').and.to.contain('*****');
    expectNoSecret(stderr + check.out.join(''));

    writeFileSync(file, config(`{ path: ${join(dir, 'outbox.sqlite')} }`, slack.url));
    const event = join(dir, 'event.json');
    writeFileSync(event, JSON.stringify(falcoEvent()));
    const route = captureIo();
    await run(['route', 'test', '--config', file, '--event', event], route);
    expect(route.err.join('')).to.contain('FX7010');
    expectNoSecret(route.err.join('') + route.out.join(''));
  });
});

describeEachStore('literal secrets never printed by a running router', function (store) {
  this.timeout(30_000);
  let dir: string;
  let slack: SlackStandIn;
  let storage: TestStorage;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-secrets-'));
    slack = new SlackStandIn();
    await slack.start();
    storage = await store.fresh();
  });
  afterEach(async () => {
    await slack.stop();
    await storage.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps them out of the logs of a running router (start, auth failures, failed deliveries, shutdown)', async () => {
    const file = join(dir, 'router.yaml');
    writeFileSync(file, config(storage.yaml, slack.url).replace("{ env: NOT_SET_ANYWHERE }, ", ''));
    slack.answer = () => ({ kind: 'error', error: 'invalid_auth' });
    const router = new RouterProcess(['--config', file], storage.env);
    const url = await router.start();
    try {
      expect((await postEvent(`${url}/events/${secrets[0]}`, falcoEvent())).status).to.equal(200);
      expect((await postEvent(`${url}/events/wrong-secret`, falcoEvent())).status).to.equal(401);
      expect((await fetch(`${url}/api/deliveries`, { headers: { authorization: `Bearer ${secrets[1]}` } })).status).to.equal(401);
      expect((await fetch(`${url}/api/deliveries`, { headers: { authorization: `Bearer ${secrets[2]}` } })).status).to.equal(200);
      await waitFor(() => router.lines.some((line) => line.msg === 'delivery dead-lettered') && router.lines.some((line) => line.msg === 'delivery failed, will retry'), 10_000, 'the failed deliveries to be logged');
    } finally {
      expect(await router.stop()).to.equal(0);
    }
    const logs = JSON.stringify(router.lines) + router.stderr.join('');
    expectNoSecret(logs);
    // The database password (PostgreSQL) is a secret too.
    for (const url of Object.values(storage.env)) expect(logs).not.to.contain(decodeURIComponent(new URL(url).password));
  });
});
