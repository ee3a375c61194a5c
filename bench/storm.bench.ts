/**
 * An alert storm through `falx serve` with grouping on, on each store: one rule from 50 pods in 5
 * namespaces, grouped by rule and namespace, Slack receiver (the real `@slack/web-api` client
 * against the test stand-in, paced at 1 message/s/channel), the embedded SQLite outbox with
 * synchronous=FULL, then PostgreSQL (a throwaway cluster on 127.0.0.1 with its default durable
 * settings; skipped, with the reason, where it cannot start). The storm is posted as fast as the
 * router takes it over 127.0.0.1, after a 5,000-event warm-up, in steps of 50k, 200k, 250k and
 * 500k events (1M in all);
 * reported at each step: the step's ingest rate, the router's peak RSS (from /proc) and its heap,
 * and, at the end, Slack messages per 10,000 events once the last group update is out.
 * Targets (issue 12): the rate of the last step within 20% of the first (the cost per event flat
 * up to 1M stored events), peak RSS under 150 MB, the counts in Slack exact.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../test/support/corpus.ts';
import { findServerBinaries, stopCluster, throwawayCluster } from '../test/support/postgres.ts';
import { metadataOf, SlackStandIn } from '../test/router/support/slack-stand-in.ts';
import { runStorm } from '../test/router/support/storm.ts';
import { startChild, stopChild } from './support/child-server.ts';

export const name = 'storm: grouped ingest of a growing alert storm to 1M events, on SQLite and PostgreSQL';

const steps = (process.env['FALX_BENCH_STORM_STEPS'] ?? '50000,200000,250000,500000').split(',').map(Number);
const stepDeadlineMs = 600_000;
const rssLimit = 150 * 1048576;

interface Storage {
  readonly label: string;
  readonly yaml: string;
  readonly env: Readonly<Record<string, string>>;
}

const routerYaml = (storage: Storage, slackUrl: string): string => `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_BENCH_TOKEN }, api_tokens: [{ env: FALX_BENCH_API_TOKEN }] }
limits: { rate_limit: { per_second: 1000000, burst: 1000000 } }
storage: ${storage.yaml}
log_level: warn
receivers:
  - { name: log, type: log, fields: false }
  - name: slack
    type: slack
    token: { env: FALX_BENCH_SLACK_TOKEN }
    channel: "#storm"
    api_url: ${slackUrl}
    pace: { per_second: 1, burst: 3 }
route:
  receivers: [log]
  routes:
    - match: rule = "Unexpected outbound connection"
      receivers: [slack]
      group_by: [rule, k8s.ns.name]
      group_wait: 1s
      group_interval: 5s
`;

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}

async function heapMb(url: string): Promise<string> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (metric: string): string => {
    const value = new RegExp(`^${metric} (\\d+)`, 'm').exec(text)?.[1];
    return value === undefined ? '?' : (Number(value) / 1048576).toFixed(1);
  };
  return `${read('nodejs_heap_size_used_bytes')} of ${read('nodejs_heap_size_total_bytes')}, external ${read('nodejs_external_memory_bytes')}`;
}

const mb = (bytes: number): string => (bytes / 1048576).toFixed(1);

/** Runs the storm on one store; returns whether its targets were met. */
async function stormOn(storage: Storage, dir: string): Promise<boolean> {
  const slack = new SlackStandIn();
  await slack.start();
  writeFileSync(join(dir, 'router.yaml'), routerYaml(storage, slack.url));
  // Started as the README and the Kubernetes examples start it (the heap kept small).
  const router = await startChild(['--max-semi-space-size=2', '--heap-growing-percent=50', join(projectRoot, 'bin', 'falx.js'), 'serve', '--config', join(dir, 'router.yaml')], dir, {
    FALX_BENCH_TOKEN: 'bench-token',
    FALX_BENCH_API_TOKEN: 'bench-api-token',
    FALX_BENCH_SLACK_TOKEN: 'xoxb-bench',
    ...storage.env,
  });
  try {
    const pid = router.child.pid ?? 0;
    console.log(`${storage.label}: router RSS at start ${mb(rssBytes(pid))} MB`);
    // A warm-up the rates leave out (JIT, the database's caches, connections), as the serve bench
    // does; its memory counts in the peak.
    let peak = rssBytes(pid);
    const warmUpSampler = setInterval(() => {
      peak = Math.max(peak, rssBytes(pid));
    }, 100);
    const warmUp = await runStorm({ events: 5000, rate: 0, pods: 50, namespaces: 5, url: () => router.url, headers: { authorization: 'Bearer bench-token' }, concurrency: 32, deadlineMs: stepDeadlineMs });
    clearInterval(warmUpSampler);
    let posted = warmUp.accepted;
    let allStored = true;
    const rates: number[] = [];
    for (const count of steps) {
      let stepPeak = rssBytes(pid);
      const sampler = setInterval(() => {
        stepPeak = Math.max(stepPeak, rssBytes(pid));
      }, 100);
      const result = await runStorm({ events: count, rate: 0, pods: 50, namespaces: 5, url: () => router.url, headers: { authorization: 'Bearer bench-token' }, concurrency: 32, deadlineMs: stepDeadlineMs });
      clearInterval(sampler);
      stepPeak = Math.max(stepPeak, rssBytes(pid));
      peak = Math.max(peak, stepPeak);
      posted += result.accepted;
      allStored &&= result.accepted === count;
      const rate = result.accepted / result.seconds;
      rates.push(rate);
      console.log(
        `${storage.label}: after ${String(posted).padStart(7)} events: step of ${count} at ${Math.round(rate)} events/s (${result.accepted} stored, ${result.retries} retried), peak RSS ${mb(stepPeak)} MB, heap ${await heapMb(router.url)} MB`,
      );
    }
    // Let the last group_interval pass and the paced sends finish.
    const sum = (): number => {
      const counts = new Map<string, number>();
      for (const call of slack.delivered()) counts.set(metadataOf(call)['idempotency_key'] ?? '', Number(metadataOf(call)['count']));
      return [...counts.values()].reduce((a, b) => a + b, 0);
    };
    const waitUntil = Date.now() + 60_000;
    while (sum() < posted && Date.now() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 200));
    const messages = slack.delivered().length;
    const flat = (rates[rates.length - 1] ?? 0) / (rates[0] ?? 1);
    const met = Math.abs(flat - 1) <= 0.2 && peak < rssLimit && allStored && sum() === posted;
    console.log(`${storage.label}: Slack ${messages} messages (${slack.updates().length} chat.update) for ${posted} events = ${((messages * 10_000) / posted).toFixed(2)} per 10,000 events; counts in messages add up to ${sum()} of ${posted}`);
    console.log(`${storage.label}: last step's rate / first step's: ${flat.toFixed(2)}, peak RSS ${mb(peak)} MB (targets: within 20%, RSS < 150 MB, counts exact: ${met ? 'met' : 'NOT met'})`);
    return met;
  } finally {
    await stopChild(router.child);
    await slack.stop();
  }
}

export async function run(): Promise<void> {
  const sqliteDir = mkdtempSync(join(tmpdir(), 'falx-bench-storm-'));
  try {
    await stormOn({ label: 'SQLite', yaml: `{ path: ${join(sqliteDir, 'outbox.sqlite')}, synchronous: full }`, env: {} }, sqliteDir);
  } finally {
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  const binaries = findServerBinaries();
  if (!binaries.ok) {
    console.log(`PostgreSQL: skipped (${binaries.reason})`);
    return;
  }
  const pgDir = mkdtempSync(join(tmpdir(), 'falx-bench-storm-pg-'));
  try {
    const cluster = await throwawayCluster();
    const url = await cluster.createDatabase('falx_storm');
    await stormOn({ label: 'PostgreSQL', yaml: '{ postgres: { url: { env: FALX_BENCH_DATABASE_URL } } }', env: { FALX_BENCH_DATABASE_URL: url } }, pgDir);
  } finally {
    await stopCluster();
    rmSync(pgDir, { recursive: true, force: true });
  }
}
