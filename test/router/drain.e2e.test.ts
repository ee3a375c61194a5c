/**
 * Graceful shutdown within `delivery.drain_timeout`: a send in flight either finishes (and is not
 * sent again after a restart) or, when the destination hangs, is aborted when the time is up, so
 * the process exits promptly; the aborted delivery stays pending and is sent on the next start.
 * Real parts: `falx serve` as a process, the Slack stand-in through @slack/web-api, a real
 * storage kept across the restart (a SQLite file, or a PostgreSQL database).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { keyOf, SlackStandIn } from './support/slack-stand-in.ts';
import { falcoEvent, postEvent, RouterProcess, waitFor } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

function config(storage: TestStorage, slackUrl: string, drain: string): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
storage: ${storage.yaml}
delivery: { poll_interval: 50ms, drain_timeout: ${drain} }
receivers:
  - name: slack
    type: slack
    token: { env: FALX_DRAIN_SLACK_TOKEN }
    channel: "#alerts"
    api_url: ${slackUrl}
    timeout: 30s
route:
  receivers: [slack]
`;
}

const slackEnv = { FALX_DRAIN_SLACK_TOKEN: 'xoxb-drain' };

describeEachStore('graceful drain (falx serve as a process)', function (store) {
  this.timeout(40_000);
  let dir: string;
  let slack: SlackStandIn;
  let storage: TestStorage;
  let env: Record<string, string>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-drain-'));
    storage = await store.fresh();
    env = { ...slackEnv, ...storage.env };
    slack = new SlackStandIn();
    await slack.start();
  });
  afterEach(async () => {
    await slack.stop();
    await storage.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('aborts a send to a hung Slack at drain_timeout, exits, and sends it after a restart', async () => {
    const file = join(dir, 'router.yaml');
    writeFileSync(file, config(storage, slack.url, '1s'));
    slack.answer = () => ({ kind: 'hang' });
    const first = new RouterProcess(['--config', file], env);
    const url = await first.start();
    const stored = (await (await postEvent(`${url}/events`, falcoEvent())).json()) as { uuid: string };
    await waitFor(() => slack.received === 1, 5_000, 'the Slack call');
    const stopping = Date.now();
    expect(await first.stop()).to.equal(0);
    // drain_timeout is 1 s; the Slack client's own timeout (30 s) must not decide.
    expect(Date.now() - stopping).to.be.below(4_000);

    slack.answer = () => ({ kind: 'ok' });
    const second = new RouterProcess(['--config', file], env);
    await second.start();
    try {
      await waitFor(() => slack.delivered().length === 1, 10_000, 'the delivery to resume');
      expect(keyOf(slack.delivered()[0]!)).to.equal(`${stored.uuid}/root/slack`);
    } finally {
      await second.stop();
    }
  });

  it('lets a slow send finish within drain_timeout and does not send it again after a restart', async () => {
    const file = join(dir, 'router.yaml');
    writeFileSync(file, config(storage, slack.url, '10s'));
    slack.answer = () => ({ kind: 'delay', ms: 800 });
    const first = new RouterProcess(['--config', file], env);
    const url = await first.start();
    expect((await postEvent(`${url}/events`, falcoEvent())).status).to.equal(200);
    await waitFor(() => slack.received === 1, 5_000, 'the Slack call');
    expect(await first.stop()).to.equal(0);
    expect(slack.delivered()).to.have.length(1);

    slack.answer = () => ({ kind: 'ok' });
    const second = new RouterProcess(['--config', file], env);
    await second.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(slack.received).to.equal(1);
    } finally {
      await second.stop();
    }
  });
});
