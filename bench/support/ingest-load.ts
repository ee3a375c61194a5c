/**
 * The ingest load generator of the serve and replicas benches: posts Falco events over keep-alive
 * HTTP with a fixed number of requests in flight, round-robin over one or more router URLs, and
 * measures the rate and the latency of each request.
 */
import { Agent, request } from 'node:http';

export interface LoadResult {
  readonly count: number;
  /** Requests answered 200. */
  readonly ok: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

export interface LoadOptions {
  readonly urls: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly events: number;
  readonly concurrency: number;
  readonly timeLimitMs: number;
}

/**
 * The router configuration of the ingest benches, after `storage:`: auth, no rate limit to speak
 * of, a routing tree with conditions, two log receivers delivering.
 */
export function ingestBenchConfig(storageYaml: string): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_BENCH_TOKEN }, api_tokens: [{ env: FALX_BENCH_API_TOKEN }] }
limits: { rate_limit: { per_second: 1000000, burst: 1000000 } }
storage: ${storageYaml}
log_level: warn
receivers:
  - { name: log, type: log, fields: false }
  - { name: audit, type: log, fields: false }
route:
  receivers: [log]
  routes:
    - match: priority >= error and k8s.ns.name in (prod, payments)
      receivers: [audit]
      continue: true
    - match: rule = "Terminal shell in container" and proc.name in (bash, sh, zsh)
      receivers: [log]
`;
}

/** A shell-in-container event; `index` varies its priority, namespace and command line. */
export function benchEvent(index: number): string {
  return JSON.stringify({
    output: `17:15:03.434319636: ${index % 3 === 0 ? 'Error' : 'Warning'} A shell was spawned in a container (user=root shell=bash)`,
    priority: index % 3 === 0 ? 'Error' : 'Warning',
    rule: 'Terminal shell in container',
    time: '2026-11-21T17:15:03.434319636Z',
    source: 'syscall',
    hostname: 'node-1',
    tags: ['container', 'shell'],
    output_fields: { 'container.name': 'web', 'k8s.ns.name': index % 2 === 0 ? 'prod' : 'dev', 'proc.cmdline': `bash -c id #${index}`, 'proc.name': 'bash', 'user.uid': 0, 'evt.time': 1795281303434319636 },
  });
}

/** Warms up (JIT, connections) with 500 requests, then posts `events` and measures them. */
export async function driveIngest(options: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const targets = options.urls.map((url) => new URL('/events', url));
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const one = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const payload = benchEvent(index);
      const t0 = performance.now();
      const target = targets[index % targets.length]!;
      const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...options.headers } }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          if (res.statusCode === 200) ok += 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  for (let index = 0; index < 500; index++) await one(index);
  latencies.length = 0;
  ok = 0;
  const measured = performance.now();
  const worker = async (): Promise<void> => {
    while (next < options.events && performance.now() - measured < options.timeLimitMs) await one(next++);
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - measured) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  return { count: latencies.length, ok, seconds, p50: at(0.5), p99: at(0.99) };
}

/** One line: requests, rate and latency. */
export function reportLoad(label: string, result: LoadResult): void {
  const rate = result.count / result.seconds;
  console.log(`${label.padEnd(17)} ${result.count} requests (${result.ok} 200) in ${result.seconds.toFixed(2)} s: ${Math.round(rate)} events/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);
}
