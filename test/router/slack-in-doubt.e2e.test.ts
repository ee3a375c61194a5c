/**
 * A group's first Slack message whose sender died mid-send is not posted twice: the message
 * reached the channel but the router was SIGKILLed before Slack's answer, so its outcome was never
 * recorded. The restarted router (on the same SQLite file, or the same PostgreSQL database under
 * a new replica name once the dead one's lease ran out) finds the message in the channel by the
 * idempotency key in its metadata and makes it the group's thread; updates reply in it. Without
 * the history scope it posts again, with a warning (at-least-once). Real parts: `falx serve` as a
 * process, the Slack stand-in through @slack/web-api, each store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { keyOf, metadataOf, SlackStandIn } from './support/slack-stand-in.ts';
import { falcoEvent, postEvent, RouterProcess, waitFor } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

function config(storage: TestStorage, slackUrl: string): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
storage: ${storage.yaml}
delivery: { poll_interval: 50ms, drain_timeout: 500ms }
receivers:
  - name: slack
    type: slack
    token: { env: FALX_DOUBT_SLACK_TOKEN }
    channel: "#alerts"
    api_url: ${slackUrl}
    timeout: 2s
route:
  receivers: [slack]
  group_by: [rule]
  group_wait: 0s
  group_interval: 1s
`;
}

describeEachStore('a group message in doubt after a SIGKILL (falx serve as a process)', (store) => {
  let dir: string;
  let storage: TestStorage;
  let slack: SlackStandIn;
  let router: RouterProcess | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-doubt-'));
    storage = await store.fresh();
    slack = new SlackStandIn();
    await slack.start();
  });
  afterEach(async () => {
    await router?.stop('SIGKILL');
    await slack.stop();
    await storage.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Posts the group's first event, lets its message reach the channel, and kills the router before Slack answers. */
  async function killMidSend(file: string): Promise<string> {
    slack.answer = () => ({ kind: 'posted-no-answer' });
    const first = new RouterProcess(['--config', file], { FALX_DOUBT_SLACK_TOKEN: 'xoxb-doubt', ...storage.env });
    const url = await first.start();
    expect((await postEvent(`${url}/events`, falcoEvent())).status).to.equal(200);
    await waitFor(() => slack.delivered().length === 1, 10_000, 'the first message to reach the channel');
    await first.stop('SIGKILL');
    slack.answer = () => ({ kind: 'ok' });
    return keyOf(slack.delivered()[0]!);
  }

  it('finds the first message in the channel after a restart and threads the group onto it, never posting it twice', async function () {
    this.timeout(90_000);
    const file = join(dir, 'router.yaml');
    writeFileSync(file, config(storage, slack.url));
    const key = await killMidSend(file);
    router = new RouterProcess(['--config', file], { FALX_DOUBT_SLACK_TOKEN: 'xoxb-doubt', ...storage.env });
    const url = await router.start();
    // On PostgreSQL the dead replica's lease and its in-flight hold on the channel (30 s) run out first.
    await waitFor(() => slack.reads.some((read) => read.method === 'conversations.history'), 45_000, 'the router to look in the channel');
    await waitFor(() => router!.lines.some((line) => line.msg === 'a group message sent before a restart was found in the channel; not posted again'), 10_000, 'the earlier copy to be found');
    // The group goes on: its update replies in the thread of the message found.
    expect((await postEvent(`${url}/events`, falcoEvent({}, { 'proc.cmdline': 'bash -c id' }))).status).to.equal(200);
    await waitFor(() => slack.delivered().some((call) => call.threadTs !== ''), 10_000, 'the update in the thread');
    const first = slack.delivered()[0]!;
    const topLevel = slack.delivered().filter((call) => call.threadTs === '');
    expect(topLevel.map(keyOf), 'top-level messages').to.deep.equal([key]);
    const reply = slack.delivered().find((call) => call.threadTs !== '')!;
    expect(reply.threadTs).to.equal(first.ts);
    expect(metadataOf(reply)['group_thread']).to.equal(metadataOf(first)['group_thread']);
    expect(slack.updates().map((call) => call.ts)).to.include(first.ts);
    // The channel was named "#alerts": its id came from conversations.list, then history was read by id.
    expect(slack.reads.find((read) => read.method === 'conversations.history')?.channel).to.equal(slack.channelId('#alerts'));
  });

  it('finds it too after a graceful stop whose drain timed out with the send in flight', async function () {
    this.timeout(60_000);
    const file = join(dir, 'router.yaml');
    writeFileSync(file, config(storage, slack.url));
    slack.answer = () => ({ kind: 'posted-no-answer' });
    const first = new RouterProcess(['--config', file], { FALX_DOUBT_SLACK_TOKEN: 'xoxb-doubt', ...storage.env });
    const url = await first.start();
    expect((await postEvent(`${url}/events`, falcoEvent())).status).to.equal(200);
    await waitFor(() => slack.delivered().length === 1, 10_000, 'the first message to reach the channel');
    expect(await first.stop('SIGTERM')).to.equal(0);
    expect(first.lines.find((line) => line.msg === 'falx router drained')?.['sends_left_pending']).to.equal(1);
    slack.answer = () => ({ kind: 'ok' });
    router = new RouterProcess(['--config', file], { FALX_DOUBT_SLACK_TOKEN: 'xoxb-doubt', ...storage.env });
    await router.start();
    await waitFor(() => router!.lines.some((line) => line.msg === 'a group message sent before a restart was found in the channel; not posted again'), 20_000, 'the earlier copy to be found');
    expect(slack.delivered()).to.have.length(1);
  });

  it('posts the message again, with a warning, when the token cannot read the channel history', async function () {
    this.timeout(90_000);
    const file = join(dir, 'router.yaml');
    writeFileSync(file, config(storage, slack.url));
    const key = await killMidSend(file);
    slack.history = false;
    router = new RouterProcess(['--config', file], { FALX_DOUBT_SLACK_TOKEN: 'xoxb-doubt', ...storage.env });
    await router.start();
    await waitFor(() => slack.delivered().length === 2, 45_000, 'the message to be posted again');
    expect(slack.delivered().map(keyOf)).to.deep.equal([key, key]);
    const warning = router.lines.find((line) => line.msg === 'could not look for an earlier copy of a group message; posting it again');
    expect(warning?.['detail']).to.match(/missing_scope/);
  });
});
