/**
 * Router ingest throughput: `falx serve` (child process, real SQLite outbox with synchronous=FULL,
 * a routing tree with conditions, the log receiver delivering) driven over 127.0.0.1 by a
 * keep-alive load generator, and, in the same run, a bare `node:http` server that answers 200
 * without work. Reports events per second, p50/p99 latency and the ratio. Bounded in count and time.
 * Targets (issue 12): >= 0.4 of the bare server's rate, p99 < 50 ms, with synchronous=FULL;
 * issue 6's absolute >= 3,000 events/s is reported beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../test/support/corpus.ts';
import { startChild, stopChild } from './support/child-server.ts';
import { driveIngest, ingestBenchConfig, reportLoad } from './support/ingest-load.ts';

export const name = 'serve: durable ingest over 127.0.0.1 vs a bare node:http server';

const events = Number(process.env['FALX_BENCH_EVENTS'] ?? 10_000);
const concurrency = 32;
const timeLimitMs = 30_000;

const routerYaml = (dir: string): string => ingestBenchConfig(`{ path: ${join(dir, 'outbox.sqlite')}, synchronous: full }`);

const bareServer = `
const http = require('node:http');
const server = http.createServer((req, res) => { req.resume(); req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"ok"}'); }); });
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'falx router listening', url: 'http://127.0.0.1:' + server.address().port })));
`;

const rounds = 3;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'falx-bench-serve-'));
  try {
    writeFileSync(join(dir, 'router.yaml'), routerYaml(dir));
    const env = { FALX_BENCH_TOKEN: 'bench-token', FALX_BENCH_API_TOKEN: 'bench-api-token' };
    // FALX_BENCH_PROFILE=DIR writes a CPU profile of the router there.
    const profile = process.env['FALX_BENCH_PROFILE'];
    // Started as the README and the Kubernetes examples start it (the heap kept small).
    const router = await startChild([...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []), '--max-semi-space-size=2', '--heap-growing-percent=50', join(projectRoot, 'bin', 'falx.js'), 'serve', '--config', join(dir, 'router.yaml')], dir, env);
    const bare = await startChild(['-e', bareServer], dir, {});
    // Rounds alternate between the two servers, and the ratio is of the median rates: on a shared
    // 2-core machine a burst of other work then skews one round, not the whole comparison.
    const falxRates: number[] = [];
    const bareRates: number[] = [];
    let worstP99 = 0;
    let allStored = true;
    for (let round = 1; round <= rounds; round++) {
      const falx = await driveIngest({ urls: [router.url], headers: { authorization: 'Bearer bench-token' }, events, concurrency, timeLimitMs });
      const reference = await driveIngest({ urls: [bare.url], headers: {}, events, concurrency, timeLimitMs });
      reportLoad(`falx serve #${round}`, falx);
      reportLoad(`bare node:http #${round}`, reference);
      falxRates.push(falx.count / falx.seconds);
      bareRates.push(reference.count / reference.seconds);
      worstP99 = Math.max(worstP99, falx.p99);
      allStored &&= falx.ok === falx.count;
    }
    await stopChild(router.child);
    await stopChild(bare.child);
    const falxRate = median(falxRates);
    const ratio = falxRate / median(bareRates);
    const met = ratio >= 0.4 && worstP99 < 50 && allStored;
    console.log(`median falx ${Math.round(falxRate)} events/s, median bare ${Math.round(median(bareRates))} events/s, ratio falx/bare: ${ratio.toFixed(3)}, worst p99 ${worstP99.toFixed(2)} ms`);
    console.log(`targets (issue 12): ratio >= 0.4, p99 < 50 ms, every event stored: ${met ? 'met' : 'NOT met'}; absolute rate >= 3,000 events/s (issue 6, machine-dependent): ${falxRate >= 3000 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
