/**
 * Slack's limits and one delivery per receiver, end to end with real parts: `falx serve` as a
 * process with DEFAULT delivery and pacing settings, the real `@slack/web-api` client against a
 * Slack stand-in that enforces one message a second a channel (429 + Retry-After otherwise) and
 * injects two more 429s (Retry-After: 2), a real SMTP server that answers two 451s, and a SIGKILL
 * of the router right after the second injected 429, then a restart on the same storage (each store).
 *
 * 72 hostile alerts (mentions, fake links, mrkdwn, HTML, CR/LF header attempts, bidi overrides in
 * proc.cmdline, fd.name and container.name) go to three Slack channels by namespace and to email
 * through two overlapping routes (`continue: true`). Each alert must reach Slack and email, once
 * per receiver (re-sends of the same delivery across the SIGKILL excepted), inert, and the
 * stand-in's clock must show no channel ever over one message a second and no call before a
 * Retry-After expired, including across the restart.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChannelLimit, type LimitVerdict } from './support/slack-channel-limit.ts';
import { keyOf, SlackStandIn, type SlackCall } from './support/slack-stand-in.ts';
import { SmtpCatcher } from './support/smtp-catcher.ts';
import { falcoEvent, RouterProcess, waitFor } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

const alerts = 72;
const channels = ['#team-0', '#team-1', '#team-2'] as const;
const tokens = { FALX_TEST_SLACK_TOKEN: 'xoxb-limits' };

/** Defaults everywhere that matters here: no `delivery` section, no `pace`. */
function routerConfig(storage: TestStorage, slackUrl: string, smtpPort: number): string {
  const slackReceivers = channels
    .map((channel, index) => `  - name: slack-${index}\n    type: slack\n    token: { env: FALX_TEST_SLACK_TOKEN }\n    channel: "${channel}"\n    api_url: ${slackUrl}\n`)
    .join('');
  // The last team's route groups (one group per pod, so each alert stays its own message): group
  // notifications go through the same pace.
  const grouping = (index: number): string => (index === channels.length - 1 ? '      group_by: [k8s.pod.name]\n      group_wait: 1s\n' : '');
  const teamRoutes = channels.map((_, index) => `    - name: team-${index}\n      match: k8s.ns.name = team-${index}\n      receivers: [slack-${index}]\n${grouping(index)}`).join('');
  return `
listen: { host: 127.0.0.1, port: 0 }
storage: ${storage.yaml}
receivers:
  - name: log
    type: log
${slackReceivers}  - name: email
    type: email
    from: "falx <falx@example.test>"
    to: [secops@example.test]
    smtp: { host: 127.0.0.1, port: ${smtpPort}, tls: none }
route:
  receivers: [log]
  routes:
    # Two routes reach email for a critical alert, the first grouped (one group per pod), the
    # second not: it must still get one mail, from the first.
    - name: critical-to-mail
      match: priority >= critical
      receivers: [email]
      continue: true
      group_by: [k8s.pod.name]
      group_wait: 1s
    - name: mail-everything
      match: priority >= debug
      receivers: [email]
      continue: true
${teamRoutes}`;
}

/** What attackers put in event fields. */
const hostile = [
  '<!channel> wake up',
  '<http://evil.example/login|click here to re-authenticate>',
  '*bold* _italic_ ~strike~ `code` >quote',
  '<script>alert(1)</script><img src=x onerror=alert(2)>',
  'line one\r\nBcc: victim@example.test\r\n\r\n*Priority*: fake',
  'invoice\u202Egnp.exe \u2066hidden\u2069',
  '<@U0123> <#C0123> <!here> <!subteam^S0123>',
  '&lt;!channel&gt; and </td></table><a href="http://evil">x</a>',
];

function alert(index: number): Record<string, unknown> {
  const pick = (offset: number): string => hostile[(index + offset) % hostile.length] ?? '';
  const pod = `pod-${String(index).padStart(3, '0')}`;
  const priority = index % 4 === 0 ? 'Critical' : 'Warning';
  return falcoEvent(
    {
      uuid: `limits-${String(index).padStart(3, '0')}`,
      priority,
      output: `17:15:03.434319636: ${priority} A shell was spawned in a container (cmdline=${pick(0)} pod=${pod})`,
    },
    { 'k8s.ns.name': `team-${index % channels.length}`, 'k8s.pod.name': pod, 'proc.cmdline': pick(0), 'fd.name': pick(3), 'container.name': pick(5) },
  );
}

/** Posts alerts at a steady pace; a post that fails (the router is down) is retried against the current URL. */
async function postAlerts(url: () => string, perSecond: number, deadlineMs: number): Promise<{ retries: number }> {
  const deadline = Date.now() + deadlineMs;
  let retries = 0;
  for (let index = 0; index < alerts; index += 1) {
    const due = Date.now() + 1000 / perSecond;
    for (;;) {
      try {
        const response = await fetch(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alert(index)) });
        if (response.status === 200) break;
      } catch {
        // The router is down (SIGKILL): try again until it is back.
      }
      retries += 1;
      if (Date.now() > deadline) throw new Error(`alert ${index} not accepted before the deadline`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
  }
  return { retries };
}

/** Every text Slack would render from a message: the notification text, the fallbacks and every block text. */
function renderedTexts(call: SlackCall): string[] {
  const attachments = JSON.parse(call.attachments) as { fallback: string; blocks: { text?: { text: string }; fields?: { text: string }[]; elements?: { text: string }[] }[] }[];
  const texts = [call.text];
  for (const attachment of attachments) {
    texts.push(attachment.fallback);
    for (const block of attachment.blocks) {
      if (block.text !== undefined) texts.push(block.text.text);
      for (const field of block.fields ?? []) texts.push(field.text);
      for (const element of block.elements ?? []) texts.push(element.text);
    }
  }
  return texts;
}

/** The alert a message or mail is about: the one pod it names (group notifications carry no uuid in their key). */
function alertOf(text: string): number {
  const pods = new Set([...text.matchAll(/pod-(\d{3})/g)].map((match) => Number(match[1])));
  expect(pods.size, `one alert per notification: ${[...pods].join(', ')}`).to.equal(1);
  return [...pods][0] ?? -1;
}

/** Distinct notifications (idempotency keys) by alert. */
function keysByAlert(notifications: readonly { alert: number; key: string }[]): Map<number, Set<string>> {
  const byAlert = new Map<number, Set<string>>();
  for (const { alert, key } of notifications) byAlert.set(alert, new Set([...(byAlert.get(alert) ?? []), key]));
  return byAlert;
}

describeEachStore('Slack limits and one delivery per receiver (falx serve as a process, default settings)', function (store) {
  this.timeout(120_000);
  let dir: string;
  let slack: SlackStandIn;
  let smtp: SmtpCatcher;
  let storage: TestStorage;
  let env: Record<string, string>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-limits-'));
    storage = await store.fresh();
    env = { ...tokens, ...storage.env };
    slack = new SlackStandIn();
    smtp = new SmtpCatcher();
    await Promise.all([slack.start(), smtp.start()]);
  });

  after(async () => {
    await Promise.all([slack.stop(), smtp.stop(), storage.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers 72 hostile alerts to Slack and email, inert, never over 1 message/s a channel, Retry-After honoured across a SIGKILL', async () => {
    const started = Date.now();
    const config = join(dir, 'router.yaml');
    writeFileSync(config, routerConfig(storage, slack.url, smtp.port));
    let killedAfter: LimitVerdict | undefined;
    const first = new RouterProcess(['--config', config], env);
    let second: RouterProcess | undefined;
    const limit = new ChannelLimit({
      windowMs: 1000,
      inject: new Map([
        [8, 2],
        [30, 2],
      ]),
      onInjected: (verdict, nth) => {
        if (nth === 30) killedAfter = verdict;
      },
    });
    slack.answer = limit.answer;
    smtp.refuseNext.push(451, 451);

    let url = await first.start();
    let killedAt = 0;
    let restartedAt = 0;
    try {
      const posting = postAlerts(() => url, 4, 60_000);
      // The SIGKILL lands once the router has recorded the second injected 429 (its log line
      // follows the record): every 429 so far has its line.
      const rateLimitedLines = (): number => first.lines.filter((line) => line.msg === 'delivery failed, will retry' && line['reason'] === 'rate_limited').length;
      const refusals = (): number => limit.verdicts.filter((verdict) => verdict.verdict !== 'accepted').length;
      await waitFor(() => killedAfter !== undefined && rateLimitedLines() >= refusals(), 60_000, 'the router to record the second injected 429');
      expect(await first.stop('SIGKILL')).to.equal(null);
      killedAt = Date.now();
      second = new RouterProcess(['--config', config], env);
      url = await second.start();
      restartedAt = Date.now();
      const { retries } = await posting;

      const slackKeys = (): Map<number, Set<string>> => keysByAlert(slack.delivered().map((call) => ({ alert: alertOf(call.attachments), key: keyOf(call) })));
      const mailKeys = (): Map<number, Set<string>> =>
        keysByAlert(smtp.mails.map((mail) => ({ alert: alertOf(mail.parsed.text ?? ''), key: String(mail.parsed.headers.get('x-falx-idempotency-key') ?? '') })));
      await waitFor(() => slackKeys().size === alerts && mailKeys().size === alerts, 90_000, `all ${alerts} alerts in Slack and in email`);
      // Nothing else is on its way.
      await new Promise((resolve) => setTimeout(resolve, 1500));

      // Once per receiver: one distinct notification per alert and receiver, whatever the routes
      // (a critical alert matches two email routes); a notification may repeat only across the SIGKILL.
      for (const [alert, keys] of slackKeys()) expect([...keys], `Slack notifications of alert ${alert}`).to.have.length(1);
      for (const [alert, keys] of mailKeys()) expect([...keys], `email notifications of alert ${alert}`).to.have.length(1);
      // Critical alerts were mailed by the grouped route that reached email first, the others one by one.
      for (const [alert, keys] of mailKeys()) expect([...keys][0], `the mail of alert ${alert}`).to.match(alert % 4 === 0 ? /^group\// : /\/root\.1\/email$/);
      // The grouped team's alerts are group notifications (one event each), the others per-event messages.
      for (const [alert, keys] of slackKeys()) expect([...keys][0], `the message of alert ${alert}`).to.match(alert % channels.length === channels.length - 1 ? /^group\// : /^limits-/);
      const slackRepeats = slack.delivered().length - alerts;
      const mailRepeats = smtp.mails.length - alerts;
      expect(slackRepeats, 'Slack messages repeated after the SIGKILL (sent, not yet recorded)').to.be.at.most(channels.length);
      // At most one send in flight per channel (the pace) and receiver_concurrency (4 by default) for email.
      expect(mailRepeats, 'mails repeated after the SIGKILL').to.be.at.most(4);

      // Each alert in its team's channel.
      for (const call of slack.delivered()) expect(call.channel).to.equal(channels[alertOf(call.attachments) % channels.length]);

      // Inert in Slack: no raw "<" anywhere Slack renders (no mention, no link), no bidi control, values on one line.
      for (const call of slack.delivered()) {
        for (const text of renderedTexts(call)) {
          expect(text, 'no unescaped < in Slack text').not.to.contain('<');
          expect(text).not.to.match(/[\u202A-\u202E\u2066-\u2069]/);
          expect(text).not.to.match(/\nBcc:|\r/);
        }
        expect(call.raw).to.contain('link_names=false');
      }
      const mention = slack.delivered().find((call) => call.attachments.includes('&lt;!channel&gt; wake up'));
      expect(mention, 'a mention attempt shows as escaped text').not.to.equal(undefined);

      // Inert in email: every value escaped in HTML, no header injected.
      for (const mail of smtp.mails) {
        const html = String(mail.parsed.html);
        expect(html, 'no tag from an event value').not.to.match(/<(script|img|a)\b/i);
        expect(mail.parsed.headers.has('bcc')).to.equal(false);
        expect(mail.rcptTo).to.deep.equal(['secops@example.test']);
        expect(mail.parsed.subject ?? '').not.to.match(/[\r\n]/);
      }
      expect(smtp.mails.some((mail) => String(mail.parsed.html).includes('&lt;script&gt;alert(1)&lt;/script&gt;'))).to.equal(true);
      expect(smtp.refused.map((refusal) => refusal.code)).to.deep.equal([451, 451]);

      // The stand-in's clock. Every attempt counts, the injected 429s included: the router cannot
      // know which call Slack will refuse.
      const spacing = channels.map((channel) => {
        const times = slack.calls.filter((call) => call.channel === channel && call.method === 'chat.postMessage').map((call) => call.at).sort((a, b) => a - b);
        return { channel, calls: times.length, minGap: Math.min(...times.slice(1).map((at, index) => at - (times[index] ?? 0))) };
      });
      const injected = limit.of('injected');
      const afterRestart = slack.calls.filter((call) => call.channelId === killedAfter?.channel && call.at >= restartedAt).map((call) => call.at);
      // eslint-disable-next-line no-console
      console.log(
        `      ${spacing.map((figure) => `${figure.channel}: ${figure.calls} calls, min spacing ${figure.minGap} ms`).join('; ')}; ` +
          `over the limit ${limit.of('over-limit').length}, before Retry-After ${limit.of('early').length}; repeats after SIGKILL: Slack ${slackRepeats}, email ${mailRepeats}; ` +
          `posts retried while down ${retries}; restart took ${restartedAt - killedAt} ms; first call to ${killedAfter?.channel ?? '?'} after the restart ${Math.min(...afterRestart) - (killedAfter?.at ?? 0)} ms after its 429; ` +
          `wall time ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(limit.of('over-limit'), 'messages over one a second a channel').to.deep.equal([]);
      expect(limit.of('early'), 'calls before a Retry-After expired').to.deep.equal([]);
      for (const figure of spacing) expect(figure.minGap, `spacing of messages to ${figure.channel}`).to.be.at.least(1000);
      expect(injected).to.have.length(2);
      for (const refusal of injected) {
        // Verdicts name channels by id, as Slack's limit is per channel whatever a call calls it.
        const next = slack.calls.filter((call) => call.channelId === refusal.channel && call.at > refusal.at).map((call) => call.at).sort((a, b) => a - b)[0];
        expect(next, `the call after the 429 at ${refusal.at}`).not.to.equal(undefined);
        expect((next ?? 0) - refusal.at, `Retry-After: 2 on ${refusal.channel}`).to.be.at.least(2000);
      }
      // The pause survived the SIGKILL: the restarted router waited for it too.
      expect(killedAfter).not.to.equal(undefined);
      expect(Math.min(...afterRestart)).to.be.at.least(killedAfter?.blockedUntil ?? Number.POSITIVE_INFINITY);
    } finally {
      await first.stop('SIGKILL');
      if (second !== undefined) expect(await second.stop('SIGTERM')).to.equal(0);
    }
  });
});
