/**
 * Noise control under an alert storm, end to end with real parts: `falx serve` as a process, the
 * real `@slack/web-api` client against the Slack stand-in, the storage read back afterwards (each
 * store: a SQLite file, a PostgreSQL database).
 * 10,000 events of one rule from 50 pods in 5 namespaces in about 10 seconds, grouped by rule and
 * namespace, become at most 3 Slack messages per group whose counts add up to exactly what was
 * posted; and the same after a SIGKILL in the middle of the storm.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { metadataOf, SlackStandIn, type SlackCall } from './support/slack-stand-in.ts';
import { RouterProcess, waitFor } from './support/router-process.ts';
import { runStorm } from './support/storm.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

const tokens = { FALX_TEST_TOKEN: 'storm-token', FALX_TEST_SLACK_TOKEN: 'xoxb-storm' };
const auth = { authorization: 'Bearer storm-token' };
const storm = { events: 10_000, rate: 1000, pods: 50, namespaces: 5 } as const;

function config(storage: TestStorage, slackUrl: string): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_TEST_TOKEN } }
storage: ${storage.yaml}
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
    pace: { per_second: 1, burst: 3 }
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

/**
 * The most messages a group may send for a storm that lasted `seconds`: the first after
 * group_wait (2 s), then one per group_interval (5 s) while events keep coming, and one last for
 * the events of the final interval. A 10 s storm gives 3; a storm that a loaded machine stretches
 * gives proportionally more, never one per event. (Ingest speed is measured in bench/storm.)
 */
function messagesAllowed(seconds: number): number {
  return Math.floor((seconds + 5 - 2) / 5) + 1;
}

/** Messages by group thread, each group's in order of sending. */
function byGroup(calls: readonly SlackCall[]): Map<string, SlackCall[]> {
  const groups = new Map<string, SlackCall[]>();
  for (const call of calls) {
    const thread = metadataOf(call)['group_thread'];
    if (thread === undefined) continue;
    groups.set(thread, [...(groups.get(thread) ?? []), call]);
  }
  return groups;
}

/** The count each distinct notification (idempotency key) reports; repeats of a key must agree. */
function distinctCounts(calls: readonly SlackCall[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of calls) {
    const meta = metadataOf(call);
    const key = meta['idempotency_key'] ?? '';
    const count = Number(meta['count']);
    const known = counts.get(key);
    if (known !== undefined) expect(count, `a repeat of ${key} reports the same count`).to.equal(known);
    counts.set(key, count);
  }
  return counts;
}

describeEachStore('router noise control under an alert storm (falx serve as a process)', function (store) {
  this.timeout(90_000);
  let slack: SlackStandIn;
  let storage: TestStorage;
  let env: Record<string, string>;

  beforeEach(async () => {
    slack = new SlackStandIn();
    await slack.start();
    storage = await store.fresh();
    env = { ...tokens, ...storage.env };
  });
  afterEach(async () => {
    await slack.stop();
    await storage.dispose();
  });

  it('turns 10,000 events in 10 s into at most 3 messages per group (one per group interval) whose counts add up exactly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-storm-'));
    writeFileSync(join(dir, 'router.yaml'), config(storage, slack.url));
    const router = new RouterProcess(['--config', join(dir, 'router.yaml')], env);
    const url = await router.start();
    try {
      const result = await runStorm({ ...storm, url: () => url, headers: auth, deadlineMs: 30_000 });
      expect(result.accepted).to.equal(storm.events);
      expect(result.retries).to.equal(0);
      const sum = (): number => [...distinctCounts(slack.delivered()).values()].reduce((a, b) => a + b, 0);
      await waitFor(() => sum() === storm.events, 30_000, `messages whose counts add up to ${storm.events}`);

      const groups = byGroup(slack.delivered());
      expect(groups.size).to.equal(storm.namespaces);
      for (const [thread, calls] of groups) {
        expect(calls.length, `messages of group ${thread}`).to.be.within(1, messagesAllowed(result.seconds));
        const [first, ...updates] = calls;
        expect(first?.threadTs, 'the first message is top-level').to.equal('');
        for (const update of updates) expect(update.threadTs, 'updates reply in the first message\'s thread').to.equal(first?.ts);
        const counts = calls.map((call) => Number(metadataOf(call)['count']));
        const last = calls[calls.length - 1] as SlackCall;
        expect(counts.reduce((a, b) => a + b, 0)).to.equal(Number(metadataOf(last)['total']));
        const namespace = /k8s\.ns\.name=(team-\d)/.exec(first?.attachments ?? '')?.[1];
        expect(counts.reduce((a, b) => a + b, 0)).to.equal(result.perNamespace.get(namespace ?? '') ?? -1);
        // The first message is edited with the running totals as updates arrive.
        if (updates.length > 0) expect(slack.updates().some((call) => call.ts === first?.ts)).to.equal(true);
      }
      const text = slack.delivered()[0]?.attachments ?? '';
      expect(text).to.match(/events in \d+ seconds/);
      expect(text).to.contain('Samples (');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).to.match(/falx_group_events_total\{route="junk-traffic"\} 10000/);
      expect(metrics).to.match(/falx_groups_active\{route="junk-traffic"\} 5/);
    } finally {
      expect(await router.stop('SIGTERM')).to.equal(0);
    }
    expect(await storage.eventCount()).to.equal(storm.events);
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the counts exact and loses nothing when the router is SIGKILLed in the middle of the storm', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-storm-kill-'));
    writeFileSync(join(dir, 'router.yaml'), config(storage, slack.url));
    const first = new RouterProcess(['--config', join(dir, 'router.yaml')], env);
    let url = await first.start();
    let second: RouterProcess | undefined;
    try {
      // Falcosidekick-style uuids: an event whose reply was lost in the kill is re-posted and must count once.
      const posting = runStorm({ ...storm, uuids: true, url: () => url, headers: auth, deadlineMs: 40_000 });
      await new Promise((resolve) => setTimeout(resolve, 5000));
      expect(await first.stop('SIGKILL')).to.equal(null);
      second = new RouterProcess(['--config', join(dir, 'router.yaml')], env);
      url = await second.start();
      const result = await posting;
      expect(result.accepted).to.equal(storm.events);
      expect(result.retries, 'posts refused while the router was down').to.be.above(0);

      const sum = (): number => [...distinctCounts(slack.delivered()).values()].reduce((a, b) => a + b, 0);
      await waitFor(() => sum() === storm.events, 40_000, `messages whose counts add up to ${storm.events}`);
      const groups = byGroup(slack.delivered());
      expect(groups.size).to.equal(storm.namespaces);
      for (const [thread, calls] of groups) {
        const counts = distinctCounts(calls);
        // The restart may flush a group once more than an uninterrupted storm would.
        expect(counts.size, `distinct notifications of group ${thread}`).to.be.within(1, messagesAllowed(result.seconds) + 1);
        const namespace = /k8s\.ns\.name=(team-\d)/.exec(calls[0]?.attachments ?? '')?.[1];
        expect([...counts.values()].reduce((a, b) => a + b, 0)).to.equal(result.perNamespace.get(namespace ?? '') ?? -1);
      }
      // Nothing more arrives later: the sum stays exact once everything is sent.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(sum()).to.equal(storm.events);
    } finally {
      await first.stop('SIGKILL');
      if (second !== undefined) expect(await second.stop('SIGTERM')).to.equal(0);
    }
    expect(await storage.eventCount()).to.equal(storm.events);
    rmSync(dir, { recursive: true, force: true });
  });
});
