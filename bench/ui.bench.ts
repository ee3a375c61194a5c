/**
 * The web UI's events page with 100,000 stored events, on SQLite and on PostgreSQL: `falx serve`
 * (child process) with its store filled directly with events spread over the last 24 hours
 * (20 rules, 8 priorities, 10 namespaces, 50 hosts), logged in as a browser would, each page asked
 * for 20 times one after another. The reference, in the same run and process, is `/healthz` of
 * the same server: the cost of a request that reads nothing. Target (issue 15): every events page
 * answers in under 200 ms at p95.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { projectRoot } from '../test/support/corpus.ts';
import { findServerBinaries, stopCluster, throwawayCluster } from '../test/support/postgres.ts';
import { startChild, stopChild } from './support/child-server.ts';

export const name = 'ui: the events page with 100,000 stored events (SQLite, PostgreSQL) vs /healthz';

const count = Number(process.env['FALX_BENCH_UI_EVENTS'] ?? 100_000);
const repeats = 20;
const priorities = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'];
const apiToken = 'bench-ui-api-token';

/** The stored JSON of event `index` (as `serializeEvent` writes it), received at `receivedAt`. */
function storedEvent(index: number, receivedAt: number): string {
  const rule = `Rule ${index % 20}`;
  const priority = priorities[index % 8]!;
  return JSON.stringify({
    uuid: `bench-${index}`,
    rule,
    priority,
    time: new Date(receivedAt).toISOString(),
    source: 'syscall',
    hostname: `node-${index % 50}`,
    tags: ['bench'],
    output: `12:00:00.000000000: ${priority} ${rule} fired (proc=${index % 7 === 0 ? 'curl' : 'bash'} pod=web-${index % 100})`,
    output_fields: { 'k8s.ns.name': `ns-${index % 10}`, 'proc.name': index % 7 === 0 ? 'curl' : 'bash', 'k8s.pod.name': `web-${index % 100}` },
  });
}

/** Receipt times: evenly over the last 24 hours, oldest first (ids grow with time, as in a real store). */
function receivedAt(index: number, now: number): number {
  return now - 86_400_000 + Math.floor((index * 86_400_000) / count);
}

function configFor(storage: string): string {
  return `listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: { env: FALX_BENCH_SECRET }
  api_tokens: [{ env: FALX_BENCH_API_TOKEN }]
storage: ${storage}
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

async function timeRequests(url: string, cookie: string): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < repeats; round++) {
    const start = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    await response.text();
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    times.push(performance.now() - start);
  }
  return times;
}

async function benchStore(label: string, storage: string, env: Record<string, string>, dir: string, fill: (now: number) => Promise<void>): Promise<boolean> {
  writeFileSync(join(dir, 'router.yaml'), configFor(storage));
  const childEnv = { FALX_BENCH_SECRET: 'bench-ui-secret', FALX_BENCH_API_TOKEN: apiToken, ...env };
  const args = [join(projectRoot, 'bin', 'falx.js'), 'serve', '--config', join(dir, 'router.yaml')];
  // Started once to create the schema, then filled while stopped, then started for the run.
  await stopChild((await startChild(args, dir, childEnv)).child);
  const fillStart = performance.now();
  await fill(Date.now());
  console.log(`${label}: ${count.toLocaleString('en-US')} events stored in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
  const router = await startChild(args, dir, childEnv);
  try {
    const login = await fetch(`${router.url}/ui/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: apiToken }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const middle = Math.floor(count / 2);
    const cases: [string, string][] = [
      ['events, newest 50, chart and counts over 24h', '/ui/events'],
      ['events of one rule', '/ui/events?rule=Rule%207'],
      ['events of a namespace and priority', '/ui/events?namespace=ns-3&priority=Warning'],
      ['events of a host, last hour', '/ui/events?hostname=node-17&range=1h'],
      ['events over 7 days', '/ui/events?range=7d'],
      ['events matching a condition', `/ui/events?condition=${encodeURIComponent('proc.name = curl and k8s.ns.name = ns-4')}`],
      ['a deep page (before the middle event)', `/ui/events?before=${middle}`],
      ['the live feed poll', `/ui/events/feed?after=${count}`],
      ['one event', `/ui/events/${middle}`],
    ];
    for (const [, path] of cases) await timeRequests(`${router.url}${path}`, cookie);
    const reference = percentile(await timeRequests(`${router.url}/healthz`, cookie), 0.5);
    let met = true;
    for (const [what, path] of cases) {
      const times = await timeRequests(`${router.url}${path}`, cookie);
      const p50 = percentile(times, 0.5);
      const p95 = percentile(times, 0.95);
      met &&= p95 < 200;
      console.log(`${label}: ${what.padEnd(46)} p50 ${p50.toFixed(1).padStart(6)} ms  p95 ${p95.toFixed(1).padStart(6)} ms  (${(p50 / reference).toFixed(1)}x /healthz)`);
    }
    console.log(`${label}: /healthz p50 ${reference.toFixed(2)} ms (the reference); target p95 < 200 ms on every page: ${met ? 'met' : 'NOT met'}`);
    return met;
  } finally {
    await stopChild(router.child);
  }
}

export async function run(): Promise<void> {
  const sqliteDir = mkdtempSync(join(tmpdir(), 'falx-bench-ui-'));
  try {
    const path = join(sqliteDir, 'outbox.sqlite');
    await benchStore('SQLite', `{ path: ${path} }`, {}, sqliteDir, async (now) => {
      const db = new Database(path);
      const insert = db.prepare('INSERT INTO events (uuid, received_at, body) VALUES (?, ?, ?)');
      db.transaction(() => {
        for (let index = 1; index <= count; index++) insert.run(`bench-${index}`, receivedAt(index, now), storedEvent(index, receivedAt(index, now)));
      })();
      db.close();
    });
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  const binaries = findServerBinaries();
  if (!binaries.ok) {
    console.log(`PostgreSQL: skipped (${binaries.reason})`);
    return;
  }
  const pgDir = mkdtempSync(join(tmpdir(), 'falx-bench-ui-pg-'));
  try {
    const cluster = await throwawayCluster();
    const url = await cluster.createDatabase('falx_ui');
    await benchStore('PostgreSQL', '{ postgres: { url: { env: FALX_BENCH_DATABASE_URL } } }', { FALX_BENCH_DATABASE_URL: url }, pgDir, async (now) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        for (let first = 1; first <= count; first += 5_000) {
          const indexes = Array.from({ length: Math.min(5_000, count - first + 1) }, (_, offset) => first + offset);
          await client.query('INSERT INTO events (uuid, received_at, body) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[])', [
            indexes.map((index) => `bench-${index}`),
            indexes.map((index) => receivedAt(index, now)),
            indexes.map((index) => storedEvent(index, receivedAt(index, now))),
          ]);
        }
        await client.query('ANALYZE events');
      } finally {
        await client.end();
      }
    });
  } finally {
    await stopCluster();
    rmSync(pgDir, { recursive: true, force: true });
  }
}
