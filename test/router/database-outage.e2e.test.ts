/**
 * Issue 12, acceptance 3: the database goes away for 10 s during a storm (a TCP gate between
 * `falx serve` and the throwaway PostgreSQL cuts every connection and refuses new ones). Meanwhile
 * ingest answers 503 with Retry-After and `/readyz` 503; the process stays up; afterwards it is
 * ready again by itself, and every event it acknowledged with a 2xx is in the database (the storm
 * re-posts what was refused, with the same uuids, until acknowledged).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { describeWithPostgres } from '../support/postgres.ts';
import { TcpGate } from '../support/tcp-gate.ts';
import { falcoEvent, postEvent, RouterProcess, waitFor } from './support/router-process.ts';
import { runStorm } from './support/storm.ts';

const auth = { authorization: 'Bearer outage-token' };
const storm = { events: 3_000, rate: 150, pods: 10, namespaces: 5 } as const;

const config = `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_TEST_TOKEN } }
storage: { postgres: { url: { env: FALX_DATABASE_URL }, pool: 4 } }
delivery: { poll_interval: 50ms, drain_timeout: 2s }
log_level: error
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`;

describeWithPostgres('falx serve through a 10 s database outage (issue 12, acceptance 3)', function (database) {
  this.timeout(120_000);
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-outage-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers 503 + Retry-After and fails /readyz while the database is away, never 2xx without a commit, and recovers by itself', async () => {
    const { cluster } = database();
    const name = `falx_outage_${process.pid}`;
    const directUrl = await cluster.createDatabase(name);
    const gate = new TcpGate(cluster.host, cluster.port);
    await gate.up();
    const gatedUrl = new URL(directUrl);
    gatedUrl.port = String(gate.port);
    writeFileSync(join(dir, 'router.yaml'), config);
    const router = new RouterProcess(['--config', join(dir, 'router.yaml')], { FALX_TEST_TOKEN: 'outage-token', FALX_DATABASE_URL: gatedUrl.toString() });
    const url = await router.start();
    const readiness: { at: number; status: number }[] = [];
    const watching = setInterval(() => {
      const at = Date.now();
      fetch(`${url}/readyz`).then(
        (response) => readiness.push({ at, status: response.status }),
        () => readiness.push({ at, status: 0 }),
      );
    }, 200);
    try {
      const posting = runStorm({ ...storm, uuids: true, url: () => url, headers: auth, deadlineMs: 90_000 });
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await gate.down();
      const downAt = Date.now();
      // The probe notices within about two seconds; from then on ingest refuses at once.
      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 503, 5_000, '/readyz to fail');
      const refused = await postEvent(`${url}/events`, falcoEvent({ uuid: '11111111-1111-4111-8111-111111111111' }), { ...auth, 'content-type': 'application/json' });
      expect(refused.status).to.equal(503);
      expect(refused.headers.get('retry-after')).to.match(/^\d+$/);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, downAt + 10_000 - Date.now())));
      await gate.up();
      const upAt = Date.now();
      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 10_000, '/readyz to recover');
      const recoveredMs = Date.now() - upAt;
      const result = await posting;
      expect(result.accepted).to.equal(storm.events);
      expect(result.retries, 'posts refused during the outage').to.be.above(0);

      // Every acknowledged event is stored: a 2xx was never given without a commit.
      const client = new pg.Client({ connectionString: directUrl });
      await client.connect();
      let stored: number;
      try {
        stored = Number((await client.query<{ count: string }>(`SELECT count(*) AS count FROM events WHERE uuid LIKE '00000000-%'`)).rows[0]?.count);
      } finally {
        await client.end();
      }
      expect(stored).to.equal(storm.events);
      const during = readiness.filter((probe) => probe.at > downAt + 2_500 && probe.at < downAt + 10_000);
      expect(during.length).to.be.above(0);
      expect(during.every((probe) => probe.status === 503), '/readyz during the outage').to.equal(true);
      process.stdout.write(
        `      storm ${result.seconds.toFixed(1)} s, ${result.retries} posts refused and re-posted, ${stored} events stored; /readyz 503 ${readiness.filter((probe) => probe.status === 503).length} times, ready again ${recoveredMs} ms after the database returned\n`,
      );
    } finally {
      clearInterval(watching);
      // Still running after the outage, and it drains cleanly.
      const code = await router.stop('SIGTERM');
      await gate.down();
      expect(code, `exit code (stderr: ${router.stderr.join('').slice(-2000)})`).to.equal(0);
    }
  });
});
