/**
 * The four HTTP receivers through the real router: an event posted over HTTP is routed, stored,
 * and delivered by the outbox to a webhook, a Falcosidekick, PagerDuty and Teams stand-in; a 500
 * is retried by the outbox and the event delivered once, with the same idempotency key. Real
 * parts: the router in process on 127.0.0.1 with its SQLite outbox, the stand-ins over HTTP.
 */
import { expect } from 'chai';
import { falcosidekickAnswer, HttpStandIn, pagerDutyAnswer, teamsAnswer, type StandInAnswer, type StandInRequest } from '../support/http-stand-in.ts';
import { startTestRouter, type TestRouter } from '../support/in-process.ts';
import { falcoEvent, postEvent, waitFor } from '../support/router-process.ts';

const routingKey = 'R0123456789abcdef0123456789abcde';

describe('router: webhook, Falcosidekick, PagerDuty and Teams receivers end to end', function () {
  this.timeout(30_000);
  const standIns = { webhook: new HttpStandIn(), sidekick: new HttpStandIn(), pagerDuty: new HttpStandIn(), teams: new HttpStandIn() };
  let router: TestRouter | undefined;

  beforeEach(async () => {
    for (const standIn of Object.values(standIns)) {
      standIn.requests.length = 0;
      await standIn.start();
    }
    standIns.webhook.answer = () => ({ status: 202 });
    standIns.sidekick.answer = falcosidekickAnswer;
    standIns.pagerDuty.answer = pagerDutyAnswer;
    standIns.teams.answer = teamsAnswer;
  });

  afterEach(async () => {
    await router?.dispose();
    router = undefined;
    for (const standIn of Object.values(standIns)) await standIn.stop();
  });

  async function start(grouping = ''): Promise<TestRouter> {
    router = await startTestRouter(
      `
listen: { host: 127.0.0.1, port: 0 }
storage: { path: STORAGE }
delivery: { poll_interval: 50ms, initial_backoff: 100ms, max_backoff: 200ms, drain_timeout: 500ms }
receivers:
  - { name: log, type: log }
  - { name: hook, type: webhook, url: "${standIns.webhook.url}/falx", hmac_secret: { env: HOOK_SECRET } }
  - { name: sidekick, type: falcosidekick, url: "${standIns.sidekick.url}/" }
  - { name: pager, type: pagerduty, routing_key: { env: PD_KEY }, api_url: "${standIns.pagerDuty.url}/v2/enqueue", pace: { per_second: 100, burst: 100 } }
  - { name: chat, type: teams, url: { env: TEAMS_URL }, pace: { per_second: 100, burst: 100 } }
route:
  receivers: [log]
  routes:
    - { match: priority >= warning, receivers: [hook, sidekick, pager, chat]${grouping} }
`,
      { HOOK_SECRET: 'whsec', PD_KEY: routingKey, TEAMS_URL: `${standIns.teams.url}/workflows/1/invoke?sig=s` },
    );
    return router;
  }

  it('delivers an event posted over HTTP to each of the four', async () => {
    const running = await start();
    expect((await postEvent(`${running.url}/events`, falcoEvent({ uuid: 'e2e-1' }))).status).to.equal(200);
    await waitFor(() => Object.values(standIns).every((standIn) => standIn.delivered().length === 1), 10_000, 'a delivery to every stand-in');
    const hook = JSON.parse(standIns.webhook.requests[0]?.text ?? '') as { receiver: string; idempotency_key: string; events: { uuid: string }[] };
    expect(hook.receiver).to.equal('hook');
    expect(hook.events.map((event) => event.uuid)).to.deep.equal(['e2e-1']);
    expect(standIns.webhook.requests[0]?.headers['x-falx-signature-256']).to.match(/^sha256=/);
    expect((JSON.parse(standIns.sidekick.requests[0]?.text ?? '') as { rule: string }).rule).to.equal('Terminal shell in container');
    expect((JSON.parse(standIns.pagerDuty.requests[0]?.text ?? '') as { dedup_key: string }).dedup_key).to.equal('e2e-1');
    expect(standIns.teams.requests[0]?.path).to.equal('/workflows/1/invoke?sig=s');
  });

  it('retries a 500 through the outbox and delivers once, with the same idempotency key', async () => {
    const failOnce = (normal: (request: StandInRequest) => StandInAnswer) => {
      let failed = false;
      return (request: StandInRequest): StandInAnswer => {
        if (failed) return normal(request);
        failed = true;
        return { status: 500, body: 'upstream trouble' };
      };
    };
    standIns.webhook.answer = failOnce(() => ({ status: 202 }));
    standIns.sidekick.answer = failOnce(falcosidekickAnswer);
    standIns.pagerDuty.answer = failOnce(pagerDutyAnswer);
    standIns.teams.answer = failOnce(teamsAnswer);
    const running = await start();
    expect((await postEvent(`${running.url}/events`, falcoEvent({ uuid: 'e2e-2' }))).status).to.equal(200);
    await waitFor(() => Object.values(standIns).every((standIn) => standIn.delivered().length === 1), 10_000, 'a delivery to every stand-in after the 500');
    // Nothing more arrives: delivered once.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const [name, standIn] of Object.entries(standIns)) {
      expect(standIn.requests.map((request) => request.answered), name).to.deep.equal([500, name === 'webhook' || name === 'pagerDuty' || name === 'teams' ? 202 : 200]);
      const [first, second] = standIn.requests;
      expect(second?.headers['x-falx-idempotency-key'], name).to.equal(first?.headers['x-falx-idempotency-key']);
    }
    const keys = (JSON.parse(standIns.pagerDuty.requests[1]?.text ?? '') as { dedup_key: string }).dedup_key;
    expect(keys).to.equal('e2e-2');
  });

  it('sends a group as one notification to each: the counts in the webhook body, one PagerDuty dedup_key, the samples to Falcosidekick', async () => {
    const running = await start(', group_by: [rule], group_wait: 300ms, group_interval: 1h');
    for (const [index, name] of ['bash', 'sh', 'bash'].entries()) {
      const event = falcoEvent({ uuid: `storm-${index}`, output: `17:15:03.1: Warning A shell was spawned in a container (shell=${name})` });
      expect((await postEvent(`${running.url}/events`, event)).status).to.equal(200);
    }
    await waitFor(() => [standIns.webhook, standIns.pagerDuty, standIns.teams].every((standIn) => standIn.delivered().length === 1) && standIns.sidekick.delivered().length === 2, 10_000, 'one group notification to each');
    const hook = JSON.parse(standIns.webhook.requests[0]?.text ?? '') as { group: { labels: Record<string, string>; seq: number; count: number; total: number }; events: { uuid: string }[] };
    expect(hook.group).to.deep.include({ labels: { rule: 'Terminal shell in container' }, seq: 0, count: 3, total: 3 });
    expect(hook.events.map((event) => event.uuid)).to.deep.equal(['storm-0', 'storm-1']);
    const pager = JSON.parse(standIns.pagerDuty.requests[0]?.text ?? '') as { dedup_key: string; payload: { custom_details: Record<string, unknown> } };
    expect(pager.dedup_key).to.equal('root.0/["Terminal shell in container"]/pager');
    expect(pager.payload.custom_details).to.deep.include({ events_total: 3 });
    expect(standIns.sidekick.delivered().map((request) => (JSON.parse(request.text) as { uuid: string }).uuid)).to.deep.equal(['storm-0', 'storm-1']);
    expect(standIns.teams.requests[0]?.text).to.contain('Samples (2 distinct)');
  });
});
