/**
 * End to end, with real parts only: `falx serve` as a child process, the real `@slack/web-api`
 * client against a Slack stand-in on 127.0.0.1, a real SMTP server whose mails are parsed, and a
 * real SQLite file in a temporary directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { keyOf, SlackStandIn } from './support/slack-stand-in.ts';
import { SmtpCatcher } from './support/smtp-catcher.ts';
import { falcoEvent, postEvent, RouterProcess, waitFor } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

function routerConfig(storage: TestStorage, slackUrl: string, smtpPort: number): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: { env: FALX_TEST_PATH_SECRET }
  token: { env: FALX_TEST_TOKEN }
storage: ${storage.yaml}
delivery: { initial_backoff: 100ms, max_backoff: 400ms, poll_interval: 50ms, max_attempts: 50, drain_timeout: 2s }
receivers:
  - name: log
    type: log
  - name: slack-alerts
    type: slack
    token: { env: FALX_TEST_SLACK_TOKEN }
    channel: "#alerts"
    api_url: ${slackUrl}
    timeout: 2s
    pace: { per_second: 200, burst: 200 }
  - name: slack-broken
    type: slack
    token: { env: FALX_TEST_SLACK_TOKEN }
    channel: "#gone"
    api_url: ${slackUrl}
  - name: email
    type: email
    from: "falx <falx@example.test>"
    to: [secops@example.test]
    smtp: { host: 127.0.0.1, port: ${smtpPort}, tls: none, timeout: 5s }
route:
  receivers: [log]
  routes:
    - match: rule = "Channel gone"
      receivers: [slack-broken]
    - match: priority >= warning
      receivers: [slack-alerts, email]
`;
}

const baseEnv = { FALX_TEST_PATH_SECRET: 'p4th-s3cret', FALX_TEST_TOKEN: 't0ken', FALX_TEST_SLACK_TOKEN: 'xoxb-test-token' };

describeEachStore('router end to end (falx serve as a process)', function (store) {
  this.timeout(60_000);
  let dir: string;
  let slack: SlackStandIn;
  let smtp: SmtpCatcher;
  let config: string;
  let storage: TestStorage;
  let env: Record<string, string>;

  before(async () => {
    storage = await store.fresh();
    env = { ...baseEnv, ...storage.env };
    dir = mkdtempSync(join(tmpdir(), 'falx-e2e-'));
    slack = new SlackStandIn();
    smtp = new SmtpCatcher();
    await Promise.all([slack.start(), smtp.start()]);
    config = join(dir, 'router.yaml');
    writeFileSync(config, routerConfig(storage, slack.url, smtp.port));
  });

  after(async () => {
    await Promise.all([slack.stop(), smtp.stop()]);
    await storage.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers to Slack and email, honours Retry-After, dead-letters permanent errors, and retries them by API', async () => {
    const router = new RouterProcess(['--config', config], env);
    const url = await router.start();
    try {
      // The first Slack call is rate limited for 1 s; the rest succeed.
      let first = true;
      slack.answer = (call) => {
        if (call.channel === '#gone') return { kind: 'error', error: 'channel_not_found' };
        if (first) {
          first = false;
          return { kind: 'rate-limited', retryAfter: 1 };
        }
        return { kind: 'ok' };
      };
      const response = await postEvent(`${url}/events/p4th-s3cret`, falcoEvent());
      expect(response.status).to.equal(200);
      const stored = (await response.json()) as { uuid: string; deliveries: number };
      expect(stored.deliveries).to.equal(2);

      await waitFor(() => slack.delivered().length === 1 && smtp.mails.length === 1, 10_000, 'the Slack message and the mail');
      const [limited, delivered] = slack.calls;
      expect(limited?.answered).to.equal(429);
      expect(delivered?.token).to.equal('xoxb-test-token');
      expect((delivered?.at ?? 0) - (limited?.at ?? 0)).to.be.at.least(950);
      expect(delivered?.channel).to.equal('#alerts');
      expect(keyOf(delivered ?? slack.calls[0]!)).to.equal(`${stored.uuid}/root.1/slack-alerts`);
      const attachments = JSON.parse(delivered?.attachments ?? '[]') as { color: string; blocks: { type: string }[] }[];
      expect(attachments[0]?.color).to.equal('#ffc700');
      expect(attachments[0]?.blocks[0]?.type).to.equal('header');

      const mail = smtp.mails[0]!;
      expect(mail.parsed.subject).to.equal('[Warning] Terminal shell in container on node-1');
      expect(mail.rcptTo).to.deep.equal(['secops@example.test']);
      expect(mail.parsed.text).to.contain('proc.cmdline: bash -i');
      expect(mail.parsed.html).to.be.a('string').and.to.contain('<h2');

      // A permanent Slack error goes straight to the dead-letter state.
      const gone = await postEvent(`${url}/`, falcoEvent({ rule: 'Channel gone' }), { authorization: 'Bearer t0ken' });
      expect(gone.status).to.equal(200);
      const auth = { authorization: 'Bearer t0ken' };
      let dead: { id: number; receiver: string; lastError: string }[] = [];
      await waitFor(async () => {
        const list = (await (await fetch(`${url}/api/deliveries?state=dead`, { headers: auth })).json()) as { deliveries: typeof dead };
        dead = list.deliveries;
        return dead.length === 1;
      }, 10_000, 'a dead delivery');
      expect(dead[0]?.receiver).to.equal('slack-broken');
      expect(dead[0]?.lastError).to.contain('channel_not_found');
      expect((await fetch(`${url}/api/deliveries?state=dead`)).status).to.equal(401);

      // The channel comes back; the operator retries the dead delivery.
      slack.answer = () => ({ kind: 'ok' });
      const retried = await fetch(`${url}/api/deliveries/${dead[0]?.id}/retry`, { method: 'POST', headers: auth });
      expect(retried.status).to.equal(200);
      await waitFor(() => slack.delivered().some((call) => call.channel === '#gone'), 10_000, 'the retried delivery');
      const again = await fetch(`${url}/api/deliveries/${dead[0]?.id}/retry`, { method: 'POST', headers: auth });
      expect(again.status).to.equal(409);

      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).to.match(/falx_deliveries_sent_total\{receiver="slack-alerts"\} 1/);
      expect(metrics).to.match(/falx_deliveries_retried_total\{receiver="slack-alerts",reason="rate_limited"\} 1/);
      expect(metrics).to.match(/falx_deliveries_dead_total\{receiver="slack-broken"\} 1/);
      expect(metrics).to.match(/falx_events_routed_total\{route="root.1"\} 1/);
      expect(metrics).to.contain('falx_queue_depth');
      // Secrets never reach the logs.
      const logs = JSON.stringify(router.lines);
      for (const secret of Object.values(env)) expect(logs).not.to.contain(secret);
    } finally {
      expect(await router.stop('SIGTERM')).to.equal(0);
    }
  });

  it('makes hostile event values inert in Slack and in email', async () => {
    slack.answer = () => ({ kind: 'ok' });
    const before = { slack: slack.delivered().length, mail: smtp.mails.length };
    const router = new RouterProcess(['--config', config], env);
    const url = await router.start();
    try {
      const hostile = '<!channel> <@U123> <https://evil.example|click> <b>bold</b><script>alert(1)</script>\r\nBcc: victim@example.test\r\nX-Injected: yes';
      const event = falcoEvent(
        { rule: `Shell ${hostile}`, output: `17:15:03.434319636: Warning ${hostile}` },
        { 'proc.cmdline': `bash -c "${hostile}"`, 'fd.name': `/tmp/${hostile}`, 'container.name': hostile },
      );
      const response = await postEvent(`${url}/events`, event, { authorization: 'Bearer t0ken' });
      expect(response.status).to.equal(200);
      await waitFor(() => slack.delivered().length === before.slack + 1 && smtp.mails.length === before.mail + 1, 10_000, 'hostile deliveries');

      const call = slack.delivered()[before.slack]!;
      const sent = `${call.text}\n${call.attachments}`;
      for (const danger of ['<!channel>', '<@U123>', '<https://evil', '<b>', '<script>']) expect(sent).not.to.contain(danger);
      expect(sent).to.contain('&lt;!channel&gt;');
      expect(sent).to.contain('&lt;https://evil.example|click&gt;');
      expect(call.raw).to.contain('link_names=false');

      const mail = smtp.mails[before.mail]!;
      expect(mail.parsed.subject).not.to.match(/[\r\n]/);
      expect(mail.parsed.subject).to.contain('<!channel>');
      expect(mail.parsed.headers.has('bcc')).to.equal(false);
      expect(mail.parsed.headers.has('x-injected')).to.equal(false);
      expect(mail.rcptTo).to.deep.equal(['secops@example.test']);
      const html = String(mail.parsed.html);
      for (const danger of ['<script>', '<b>bold', '<!channel>', '<https://evil']) expect(html).not.to.contain(danger);
      expect(html).to.contain('&lt;script&gt;alert(1)&lt;/script&gt;');
    } finally {
      await router.stop('SIGTERM');
    }
  });

  it('loses nothing when killed with SIGKILL while deliveries are pending', async () => {
    const killDir = mkdtempSync(join(tmpdir(), 'falx-kill-'));
    const killConfig = join(killDir, 'router.yaml');
    const killStorage = await store.fresh();
    const killEnv = { ...baseEnv, ...killStorage.env };
    writeFileSync(killConfig, routerConfig(killStorage, slack.url, smtp.port));
    const before = slack.calls.length;
    slack.answer = () => ({ kind: 'http', status: 500 });
    const first = new RouterProcess(['--config', killConfig], killEnv);
    const url = await first.start();
    const uuids: string[] = [];
    for (let index = 0; index < 25; index += 1) {
      const response = await postEvent(`${url}/events/p4th-s3cret`, falcoEvent({ priority: index % 2 === 0 ? 'Critical' : 'Error' }, { 'proc.pid': index }));
      expect(response.status).to.equal(200);
      uuids.push(((await response.json()) as { uuid: string }).uuid);
    }
    await waitFor(() => slack.calls.length - before >= 25, 10_000, 'failing attempts');
    expect(await first.stop('SIGKILL')).to.equal(null);

    slack.answer = () => ({ kind: 'ok' });
    const second = new RouterProcess(['--config', killConfig], killEnv);
    await second.start();
    try {
      const expected = new Set(uuids.map((uuid) => `${uuid}/root.1/slack-alerts`));
      await waitFor(() => [...expected].every((key) => slack.delivered().some((call) => call.metadata !== '' && keyOf(call) === key)), 15_000, 'every accepted event delivered after the restart');
    } finally {
      await second.stop('SIGTERM');
      await killStorage.dispose();
      rmSync(killDir, { recursive: true, force: true });
    }
  });
});
