/**
 * Issue 12, acceptance 1: three `falx serve` replicas on one PostgreSQL database (a throwaway
 * cluster), a 3,000-event storm from 10 pods in 5 namespaces posted round-robin to all three, one
 * replica SIGKILLed a third of the way through and restarted. Every acknowledged event is counted
 * exactly once in the group totals, each group posts at most 6 messages in one Slack thread, and
 * the channel never gets two messages within a second (the Slack stand-in enforces Slack's limit
 * and records every call it would have refused). A first message the killed replica had sent but
 * not yet recorded is in doubt once its claim expires: the replica that takes it over finds it in
 * the channel (conversations.history, by its idempotency key) instead of posting a second copy, so
 * each group has exactly one top-level message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { describeWithPostgres } from '../support/postgres.ts';
import { RouterProcess, waitFor } from './support/router-process.ts';
import { ChannelLimit } from './support/slack-channel-limit.ts';
import { metadataOf, SlackStandIn, type SlackCall } from './support/slack-stand-in.ts';
import { runStorm } from './support/storm.ts';

const auth = { authorization: 'Bearer replica-token' };
const storm = { events: 3_000, rate: 300, pods: 10, namespaces: 5 } as const;

function config(slackUrl: string): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_TEST_TOKEN } }
storage: { postgres: { url: { env: FALX_DATABASE_URL }, pool: 4 } }
delivery: { initial_backoff: 100ms, max_backoff: 400ms, poll_interval: 50ms, drain_timeout: 2s }
log_level: warn
receivers:
  - name: log
    type: log
  - name: slack
    type: slack
    token: { env: FALX_TEST_SLACK_TOKEN }
    channel: "#storm"
    api_url: ${slackUrl}
    timeout: 2s
route:
  receivers: [log]
  group_by: ['...']
  routes:
    - name: junk-traffic
      match: rule = "Unexpected outbound connection"
      receivers: [slack]
      group_by: [rule, k8s.ns.name]
      group_wait: 2s
      group_interval: 5s
      repeat_interval: 1h
`;
}

/** Distinct notifications (by idempotency key) per group thread, each with the count it reports. */
function notificationsByGroup(calls: readonly SlackCall[]): Map<string, Map<string, { count: number; namespace: string }>> {
  const groups = new Map<string, Map<string, { count: number; namespace: string }>>();
  for (const call of calls) {
    const meta = metadataOf(call);
    const thread = meta['group_thread'];
    if (thread === undefined) continue;
    const namespace = /k8s\.ns\.name=(team-\d)/.exec(call.attachments)?.[1] ?? '';
    const byKey = groups.get(thread) ?? new Map<string, { count: number; namespace: string }>();
    byKey.set(meta['idempotency_key'] ?? '', { count: Number(meta['count']), namespace });
    groups.set(thread, byKey);
  }
  return groups;
}

describeWithPostgres('three falx serve replicas on one PostgreSQL (issue 12, acceptance 1)', function (database) {
  this.timeout(180_000);
  let slack: SlackStandIn;
  let dir: string;

  beforeEach(async () => {
    slack = new SlackStandIn();
    await slack.start();
    dir = mkdtempSync(join(tmpdir(), 'falx-replicas-'));
  });
  afterEach(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts every acknowledged event once, one thread per group of at most 6 messages, never over 1 message/s, through a SIGKILL and restart', async () => {
    const limit = new ChannelLimit({ windowMs: 1000, inject: new Map() });
    slack.answer = limit.answer;
    const url = await database().cluster.createDatabase(`falx_replicas_${process.pid}`);
    writeFileSync(join(dir, 'router.yaml'), config(slack.url));
    const env = { FALX_TEST_TOKEN: 'replica-token', FALX_TEST_SLACK_TOKEN: 'xoxb-replicas', FALX_DATABASE_URL: url };
    const replicas = [0, 1, 2].map(() => new RouterProcess(['--config', join(dir, 'router.yaml')], env));
    const urls = await Promise.all(replicas.map((replica) => replica.start()));
    let restarted: RouterProcess | undefined;
    let turn = 0;
    try {
      // Falcosidekick-style uuids: an event whose reply was lost in the kill is re-posted and must count once.
      const posting = runStorm({ ...storm, uuids: true, url: () => urls[turn++ % urls.length] ?? '', headers: auth, deadlineMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, ((storm.events / storm.rate) * 1000) / 3));
      expect(await replicas[0]?.stop('SIGKILL')).to.equal(null);
      restarted = new RouterProcess(['--config', join(dir, 'router.yaml')], env);
      urls[0] = await restarted.start();
      const result = await posting;
      expect(result.accepted).to.equal(storm.events);

      const total = (): number => [...notificationsByGroup(slack.delivered()).values()].flatMap((byKey) => [...byKey.values()]).reduce((sum, n) => sum + n.count, 0);
      await waitFor(() => total() === storm.events, 90_000, `notifications whose counts add up to ${storm.events}`);
      // Nothing more arrives later: the sum stays exact once everything is sent.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(total()).to.equal(storm.events);

      const groups = notificationsByGroup(slack.delivered());
      expect(groups.size).to.equal(storm.namespaces);
      const delivered = slack.delivered();
      const summary: string[] = [];
      for (const [thread, byKey] of groups) {
        const notifications = [...byKey.values()];
        const namespace = notifications[0]?.namespace ?? '';
        expect(notifications.reduce((sum, n) => sum + n.count, 0), `events counted in group ${thread}`).to.equal(result.perNamespace.get(namespace) ?? -1);
        expect(byKey.size, `messages of group ${thread}`).to.be.within(1, 6);
        const calls = delivered.filter((call) => metadataOf(call)['group_thread'] === thread);
        const topLevel = calls.filter((call) => call.threadTs === '');
        // One top-level message: a first message the killed replica sent without recording it is
        // found in the channel by the replica that takes it over, not posted again.
        expect(topLevel.length, `top-level messages of group ${thread} (one thread per group)`).to.equal(1);
        const threadTs = new Set(topLevel.map((call) => call.ts));
        for (const call of calls.filter((candidate) => candidate.threadTs !== '')) expect(threadTs.has(call.threadTs), `replies of group ${thread} thread onto its first message`).to.equal(true);
        summary.push(`${namespace}: ${byKey.size} messages`);
      }
      const refused = limit.verdicts.filter((verdict) => verdict.verdict === 'over-limit' || verdict.verdict === 'early');
      expect(refused, 'calls Slack would have refused (over 1 message/s, or before a Retry-After)').to.deep.equal([]);
      const spacing = delivered.slice(1).map((call, index) => call.at - (delivered[index]?.at ?? 0));
      process.stdout.write(`      storm ${result.seconds.toFixed(1)} s, ${result.retries} posts retried; ${summary.join(', ')}; min spacing ${Math.min(...spacing)} ms; repeated calls ${delivered.length - [...groups.values()].reduce((sum, byKey) => sum + byKey.size, 0)} (in-doubt first messages looked up in the channel: ${slack.reads.filter((read) => read.method === 'conversations.history').length})\n`);
    } finally {
      for (const replica of replicas) await replica.stop('SIGKILL');
      await restarted?.stop('SIGKILL');
    }
  });
});
