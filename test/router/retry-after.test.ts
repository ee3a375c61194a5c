/**
 * A Slack Retry-After holds the whole channel: every delivery to it, from any receiver posting
 * there, waits until it expires, not only the delivery that was refused, while other channels go
 * on; and the pause is in the store, so a restarted router waits too. Real parts: the router in
 * process on 127.0.0.1, each store (a SQLite file, a PostgreSQL database), the Slack stand-in
 * through @slack/web-api.
 */
import { expect } from 'chai';
import { SlackStandIn, type SlackCall } from './support/slack-stand-in.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';
import { falcoEvent, postEvent, waitFor } from './support/router-process.ts';

function config(slackUrl: string, storage: TestStorage): string {
  // A generous pace, so that only the Retry-After can hold a delivery back.
  const slack = (name: string, channel: string): string =>
    `  - { name: ${name}, type: slack, token: { env: SLACK_TOKEN }, channel: "${channel}", api_url: "${slackUrl}", pace: { per_second: 100, burst: 100 } }\n`;
  return `
listen: { host: 127.0.0.1, port: 0 }
storage: ${storage.yaml}
delivery: { poll_interval: 50ms, initial_backoff: 100ms, max_backoff: 200ms, drain_timeout: 500ms }
receivers:
  - { name: log, type: log }
${slack('shared-a', '#shared')}${slack('shared-b', '#shared')}${slack('other', '#other')}route:
  receivers: [log]
  routes:
    - { match: rule = "To A", receivers: [shared-a] }
    - { match: rule = "To B", receivers: [shared-b] }
    - { match: rule = "To other", receivers: [other] }
`;
}

describeEachStore('router: Slack Retry-After holds the channel', function (store) {
  this.timeout(20_000);
  let slack: SlackStandIn;
  let storage: TestStorage;
  const routers: TestRouter[] = [];

  beforeEach(async () => {
    slack = new SlackStandIn();
    await slack.start();
    storage = await store.fresh();
  });

  afterEach(async () => {
    for (const router of routers.splice(0)) await router.dispose();
    await slack.stop();
    await storage.dispose();
  });

  async function start(): Promise<TestRouter> {
    const router = await startTestRouter(config(slack.url, storage), { SLACK_TOKEN: 'xoxb-retry-after', ...storage.env });
    routers.push(router);
    return router;
  }

  async function post(router: TestRouter, rule: string, uuid: string): Promise<void> {
    expect((await postEvent(`${router.url}/events`, falcoEvent({ rule, uuid }))).status).to.equal(200);
  }

  /** Refuses the first message with a 429 and Retry-After, accepts everything else. */
  function refuseFirst(retryAfter: number): () => SlackCall | undefined {
    let refused = false;
    slack.answer = () => {
      if (refused) return { kind: 'ok' };
      refused = true;
      return { kind: 'rate-limited', retryAfter };
    };
    return () => slack.calls.find((call) => call.answered === 429);
  }

  const callsTo = (channel: string): SlackCall[] => slack.calls.filter((call) => call.channel === channel);

  it('holds a second delivery to the channel, from the same and from another receiver, until Retry-After expires', async () => {
    const limited = refuseFirst(2);
    const router = await start();
    await post(router, 'To A', 'a-1');
    await waitFor(() => limited() !== undefined, 5_000, 'the 429');
    await post(router, 'To A', 'a-2');
    await post(router, 'To B', 'b-1');
    await post(router, 'To other', 'c-1');
    await waitFor(() => slack.delivered().length === 4, 10_000, 'all four messages');

    const refusedAt = limited()?.at ?? 0;
    const shared = callsTo('#shared').filter((call) => call.at > refusedAt);
    expect(shared.map((call) => call.answered)).to.deep.equal([200, 200, 200]);
    for (const call of shared) expect(call.at - refusedAt, 'a call to #shared after the 429').to.be.at.least(2000);
    // Another channel is not held.
    const other = callsTo('#other');
    expect(other).to.have.length(1);
    expect((other[0]?.at ?? 0) - refusedAt).to.be.below(1500);
  });

  it('keeps holding the channel after a restart on the same store', async () => {
    const limited = refuseFirst(3);
    const first = await start();
    await post(first, 'To A', 'a-1');
    await waitFor(() => limited() !== undefined, 5_000, 'the 429');
    // The refusal is recorded (with the pause, in the same transaction) before the router stops.
    await waitFor(
      async () => {
        const list = (await (await fetch(`${first.url}/api/deliveries?state=pending`)).json()) as { deliveries: { lastError: string | null }[] };
        return list.deliveries.some((delivery) => delivery.lastError?.startsWith('rate_limited') === true);
      },
      5_000,
      'the recorded 429',
    );
    await first.dispose();
    routers.splice(routers.indexOf(first), 1);

    const second = await start();
    await post(second, 'To B', 'b-1');
    await post(second, 'To other', 'c-1');
    await waitFor(() => slack.delivered().length === 3, 10_000, 'the three messages');
    const refusedAt = limited()?.at ?? 0;
    for (const call of callsTo('#shared').filter((call) => call.at > refusedAt)) expect(call.at - refusedAt, 'a call to #shared after the restart').to.be.at.least(3000);
    expect((callsTo('#other')[0]?.at ?? 0) - refusedAt).to.be.below(3000);
  });
});
