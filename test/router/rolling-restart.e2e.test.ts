/**
 * Issue 12, acceptance 2: three `falx serve` replicas on one PostgreSQL database restarted one at
 * a time with SIGTERM while a storm flows to all three: nothing acknowledged is lost (every event
 * stored, every delivery sent in the end), each replica exits 0 and its drain logs what it
 * finished and what it left pending. One pod's events also go to a slow Slack (the stand-in
 * answers after 1.5 s, past the 1 s drain_timeout), so drains have sends in flight: they are
 * aborted, left pending, and sent by the other replicas. Each replica posts with a token of its own,
 * so the first is stopped just as the stand-in receives one of its sends: at least one drain is
 * certain to be cut short (by timing alone, none was, now and then).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { describeWithPostgres } from '../support/postgres.ts';
import { RouterProcess, waitFor } from './support/router-process.ts';
import { keyOf, SlackStandIn } from './support/slack-stand-in.ts';
import { runStorm } from './support/storm.ts';

const auth = { authorization: 'Bearer rolling-token' };
const storm = { events: 3_000, rate: 200, pods: 10, namespaces: 5 } as const;

const config = (slackUrl: string): string => `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_TEST_TOKEN } }
storage: { postgres: { url: { env: FALX_DATABASE_URL }, pool: 4 } }
delivery: { poll_interval: 50ms, drain_timeout: 1s }
log_level: info
receivers:
  - { name: log, type: log }
  - { name: slack, type: slack, token: { env: FALX_TEST_SLACK_TOKEN }, channel: "#web-0", api_url: ${slackUrl}, timeout: 10s, pace: { per_second: 50, burst: 30 } }
route:
  receivers: [log]
  routes:
    - match: k8s.pod.name = web-0
      receivers: [log, slack]
`;

describeWithPostgres('rolling SIGTERM restart of three replicas (issue 12, acceptance 2)', function (database) {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-rolling-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loses nothing acknowledged while each replica in turn drains and restarts', async () => {
    const url = await database().cluster.createDatabase(`falx_rolling_${process.pid}`);
    const slack = new SlackStandIn();
    await slack.start();
    // Sends received, by the token of the replica that made them.
    const started = new Map<string, number>();
    slack.answer = (call) => {
      started.set(call.token, (started.get(call.token) ?? 0) + 1);
      return { kind: 'delay', ms: 1500 };
    };
    writeFileSync(join(dir, 'router.yaml'), config(slack.url));
    const env = (replica: string) => ({ FALX_TEST_TOKEN: 'rolling-token', FALX_TEST_SLACK_TOKEN: `xoxb-rolling-${replica}`, FALX_DATABASE_URL: url });
    const replicas = [0, 1, 2].map((index) => new RouterProcess(['--config', join(dir, 'router.yaml')], env(`${index}`)));
    const urls = await Promise.all(replicas.map((replica) => replica.start()));
    const stopped: RouterProcess[] = [];
    let turn = 0;
    try {
      const posting = runStorm({ ...storm, uuids: true, url: () => urls[turn++ % urls.length] ?? '', headers: auth, deadlineMs: 60_000 });
      for (let index = 0; index < replicas.length; index += 1) {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        if (index === 0) {
          // Stopped as one of its sends begins: 1.5 s to answer, 1 s to drain.
          const before = started.get('xoxb-rolling-0') ?? 0;
          await waitFor(() => (started.get('xoxb-rolling-0') ?? 0) > before, 30_000, 'a Slack send of replica 0 beginning');
        }
        const old = replicas[index] as RouterProcess;
        expect(await old.stop('SIGTERM'), `replica ${index} exits 0 on SIGTERM`).to.equal(0);
        stopped.push(old);
        const next = new RouterProcess(['--config', join(dir, 'router.yaml')], env(`${index}-restarted`));
        replicas[index] = next;
        urls[index] = await next.start();
      }
      const result = await posting;
      expect(result.accepted).to.equal(storm.events);

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const count = async (sql: string): Promise<number> => Number((await client.query<{ count: string }>(sql)).rows[0]?.count);
        expect(await count('SELECT count(*) AS count FROM events')).to.equal(storm.events);
        const toSlack = storm.events / storm.pods;
        await waitFor(async () => (await count(`SELECT count(*) AS count FROM deliveries WHERE state = 'sent'`)) === storm.events + toSlack, 60_000, 'every delivery sent');
        expect(await count(`SELECT count(*) AS count FROM deliveries WHERE state <> 'sent'`)).to.equal(0);
        const keys = new Set(slack.delivered().map(keyOf));
        expect(keys.size, 'Slack messages, one per web-0 event').to.equal(toSlack);
      } finally {
        await client.end();
      }
      const drains = stopped.map((replica) => replica.lines.find((line) => line.msg === 'falx router drained'));
      for (const drain of drains) expect(drain, 'the drain log line').to.include.keys(['sends_finished', 'sends_left_pending']);
      // Slack answers after 1.5 s and the drain waits 1 s: replica 0, stopped as a send began, left it pending.
      expect(Number(drains[0]?.['sends_left_pending']), 'sends the first drain left pending').to.be.greaterThan(0);
      process.stdout.write(
        `      storm ${result.seconds.toFixed(1)} s, ${result.retries} posts re-sent; drains: ${drains.map((drain) => `${String(drain?.['sends_finished'])} finished/${String(drain?.['sends_left_pending'])} pending`).join(', ')}; ` +
          `Slack: ${slack.delivered().length} messages for ${storm.events / storm.pods} events (repeats of aborted sends: ${slack.delivered().length - storm.events / storm.pods})\n`,
      );
    } finally {
      for (const replica of replicas) await replica.stop('SIGTERM');
      await slack.stop();
    }
  });
});
