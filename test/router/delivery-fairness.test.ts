/**
 * One receiver's trouble must not hold up another's deliveries: Slack rows waiting on their
 * channel's pace, or on a Slack that stopped answering, must not keep the log (or email)
 * receiver waiting. Real parts: the router in process on 127.0.0.1, a real SQLite file, the Slack
 * stand-in through @slack/web-api.
 */
import { expect } from 'chai';
import { SlackStandIn } from './support/slack-stand-in.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { describeEachStore } from './support/stores.ts';
import { falcoEvent, postEvent, waitFor } from './support/router-process.ts';

function config(slackUrl: string): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
storage: { path: STORAGE }
delivery: { poll_interval: 50ms, drain_timeout: 500ms, concurrency: 8 }
receivers:
  - { name: log, type: log }
  - name: slack
    type: slack
    token: { env: SLACK_TOKEN }
    channel: "#alerts"
    api_url: ${slackUrl}
    timeout: 20s
  - name: slack-fast
    type: slack
    token: { env: SLACK_TOKEN }
    channel: "#fast"
    api_url: ${slackUrl}
    timeout: 20s
    pace: { per_second: 1000, burst: 1000 }
route:
  receivers: [log]
  routes:
    - match: rule = "Slacky"
      receivers: [slack]
    - match: rule = "Hung"
      receivers: [slack-fast]
`;
}

describeEachStore('delivery fairness across receivers', function (store) {
  this.timeout(20_000);
  let slack: SlackStandIn;
  let router: TestRouter | undefined;

  beforeEach(async () => {
    slack = new SlackStandIn();
    await slack.start();
    router = await startTestRouter(config(slack.url), { SLACK_TOKEN: 'xoxb-fair' }, store);
  });

  afterEach(async () => {
    await slack.stop();
    await router?.dispose();
  });

  async function postMany(url: string, count: number, rule: string): Promise<void> {
    for (let index = 0; index < count; index += 1) {
      const response = await postEvent(`${url}/events`, falcoEvent({ rule, uuid: `${rule}-${index}` }));
      expect(response.status).to.equal(200);
    }
  }

  const logged = (rule: string): boolean => (router?.lines ?? []).some((line) => line.includes(`"rule":"${rule}"`));

  it('logs an event at once while 60 Slack deliveries wait for the channel pace (1/s)', async () => {
    const url = router!.url;
    await postMany(url, 60, 'Slacky');
    const posted = Date.now();
    await postMany(url, 1, 'Other');
    await waitFor(() => logged('Other'), 2_000, 'the log line of the other event');
    expect(Date.now() - posted).to.be.below(2_000);
    // Slack still gets its messages, at its pace.
    expect(slack.delivered().length).to.be.within(1, 6);
  });

  it('logs an event at once while Slack hangs, and Slack holds at most its share of the slots', async () => {
    slack.answer = () => ({ kind: 'hang' });
    const url = router!.url;
    await postMany(url, 12, 'Hung');
    await waitFor(() => slack.calls.length >= 4, 5_000, 'the hung Slack calls');
    const posted = Date.now();
    await postMany(url, 3, 'Other');
    await waitFor(() => logged('Other'), 2_000, 'the log line of the other event');
    expect(Date.now() - posted).to.be.below(2_000);
    // Default receiver_concurrency is half of concurrency 8.
    expect(slack.calls.length).to.equal(4);
  });
});
