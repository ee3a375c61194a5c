/**
 * Durable ingest on PostgreSQL: `falx serve` replicas (child processes) on one database of a
 * throwaway cluster on 127.0.0.1 (its default durable settings: fsync and synchronous_commit on),
 * one replica and then three, driven by the same keep-alive load generator as the serve bench
 * (three replicas: round-robin over their URLs, as a Service spreads Falco's posts). Routing tree
 * and receivers as in the serve bench. Reports events per second and p50/p99 latency of each.
 * Skipped, with the reason, where PostgreSQL's server binaries are missing.
 *
 * Read the three-replica figure with the machine in mind: on a 2-core machine the replicas, the
 * database and the load generator share two cores, so it shows the cost of coordination, not
 * the scaling a cluster of nodes gets.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../test/support/corpus.ts';
import { findServerBinaries, stopCluster, throwawayCluster } from '../test/support/postgres.ts';
import { startChild, stopChild, type ChildServer } from './support/child-server.ts';
import { driveIngest, ingestBenchConfig, reportLoad } from './support/ingest-load.ts';

export const name = 'replicas: durable ingest on PostgreSQL, one replica and three';

const events = Number(process.env['FALX_BENCH_EVENTS'] ?? 10_000);

const routerYaml = ingestBenchConfig('{ postgres: { url: { env: FALX_BENCH_DATABASE_URL }, pool: 10 } }');

async function measure(label: string, replicas: number, databaseUrl: string, dir: string): Promise<void> {
  const config = join(dir, `router-${replicas}.yaml`);
  writeFileSync(config, routerYaml);
  const env = { FALX_BENCH_TOKEN: 'bench-token', FALX_BENCH_API_TOKEN: 'bench-api-token', FALX_BENCH_DATABASE_URL: databaseUrl };
  const started: ChildServer[] = [];
  try {
    // Started as the README and the Kubernetes examples start it (the heap kept small).
    for (let index = 0; index < replicas; index++) started.push(await startChild(['--max-semi-space-size=2', '--heap-growing-percent=50', join(projectRoot, 'bin', 'falx.js'), 'serve', '--config', config], dir, env));
    const result = await driveIngest({ urls: started.map((child) => child.url), headers: { authorization: 'Bearer bench-token' }, events, concurrency: 32, timeLimitMs: 60_000 });
    reportLoad(label, result);
    if (result.ok !== result.count) console.log(`${label}: ${result.count - result.ok} requests not answered 200`);
  } finally {
    for (const child of started) await stopChild(child.child);
  }
}

export async function run(): Promise<void> {
  const binaries = findServerBinaries();
  if (!binaries.ok) {
    console.log(`skipped: ${binaries.reason}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'falx-bench-replicas-'));
  try {
    const cluster = await throwawayCluster();
    await measure('1 replica', 1, await cluster.createDatabase('falx_bench_one'), dir);
    await measure('3 replicas', 3, await cluster.createDatabase('falx_bench_three'), dir);
  } finally {
    await stopCluster();
    rmSync(dir, { recursive: true, force: true });
  }
}
