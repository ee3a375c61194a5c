/**
 * Issue 12, acceptance 2: three `falx serve` replicas on one PostgreSQL database restarted one at
 * a time with SIGTERM while a storm flows to all three: nothing acknowledged is lost (every event
 * stored, every delivery sent in the end), each replica exits 0 and its drain logs what it
 * finished and what it left pending.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { describeWithPostgres } from '../support/postgres.ts';
import { RouterProcess, waitFor } from './support/router-process.ts';
import { runStorm } from './support/storm.ts';

const auth = { authorization: 'Bearer rolling-token' };
const storm = { events: 3_000, rate: 200, pods: 10, namespaces: 5 } as const;

const config = `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_TEST_TOKEN } }
storage: { postgres: { url: { env: FALX_DATABASE_URL }, pool: 4 } }
delivery: { poll_interval: 50ms, drain_timeout: 2s }
log_level: info
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
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
    writeFileSync(join(dir, 'router.yaml'), config);
    const env = { FALX_TEST_TOKEN: 'rolling-token', FALX_DATABASE_URL: url };
    const replicas = [0, 1, 2].map(() => new RouterProcess(['--config', join(dir, 'router.yaml')], env));
    const urls = await Promise.all(replicas.map((replica) => replica.start()));
    const stopped: RouterProcess[] = [];
    let turn = 0;
    try {
      const posting = runStorm({ ...storm, uuids: true, url: () => urls[turn++ % urls.length] ?? '', headers: auth, deadlineMs: 60_000 });
      for (let index = 0; index < replicas.length; index += 1) {
        await new Promise((resolve) => setTimeout(resolve, 3000));
        const old = replicas[index] as RouterProcess;
        expect(await old.stop('SIGTERM'), `replica ${index} exits 0 on SIGTERM`).to.equal(0);
        stopped.push(old);
        const next = new RouterProcess(['--config', join(dir, 'router.yaml')], env);
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
        await waitFor(async () => (await count(`SELECT count(*) AS count FROM deliveries WHERE state = 'sent'`)) === storm.events, 30_000, 'every delivery sent');
        expect(await count(`SELECT count(*) AS count FROM deliveries WHERE state <> 'sent'`)).to.equal(0);
      } finally {
        await client.end();
      }
      const drains = stopped.map((replica) => replica.lines.find((line) => line.msg === 'falx router drained'));
      for (const drain of drains) expect(drain, 'the drain log line').to.include.keys(['sends_finished', 'sends_left_pending']);
      process.stdout.write(
        `      storm ${result.seconds.toFixed(1)} s, ${result.retries} posts re-sent; drains: ${drains.map((drain) => `${String(drain?.['sends_finished'])} finished/${String(drain?.['sends_left_pending'])} pending`).join(', ')}\n`,
      );
    } finally {
      for (const replica of replicas) await replica.stop('SIGTERM');
    }
  });
});
