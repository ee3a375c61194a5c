/**
 * An alert storm through `falx serve` with grouping on: one rule from 50 pods in 5 namespaces,
 * grouped by rule and namespace, Slack receiver (the real `@slack/web-api` client against the test
 * stand-in, paced at 1 message/s/channel), real SQLite outbox with synchronous=FULL. The storm
 * grows from 10,000 to 200,000 events posted as fast as the router takes them over 127.0.0.1;
 * reported at each step: sustained ingest rate, the router's peak RSS (from /proc), and, at the
 * end, Slack messages per 10,000 events once the last group update is out. Bounded in time.
 * Targets (issue 7): >= 3,000 events/s, RSS under 200 MB and flat as the storm grows.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../test/support/corpus.ts';
import { metadataOf, SlackStandIn } from '../test/router/support/slack-stand-in.ts';
import { runStorm } from '../test/router/support/storm.ts';
import { startChild, type ChildServer } from './support/child-server.ts';

export const name = 'storm: grouped ingest of a growing alert storm (10k to 200k events)';

const steps = (process.env['FALX_BENCH_STORM_STEPS'] ?? '10000,40000,50000,100000').split(',').map(Number);
const stepDeadlineMs = 120_000;

const routerYaml = (dir: string, slackUrl: string): string => `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: FALX_BENCH_TOKEN }, api_tokens: [{ env: FALX_BENCH_API_TOKEN }] }
limits: { rate_limit: { per_second: 1000000, burst: 1000000 } }
storage: { path: ${join(dir, 'outbox.sqlite')}, synchronous: full }
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

function startRouter(dir: string, env: Record<string, string>): Promise<ChildServer> {
  return startChild([join(projectRoot, 'bin', 'falx.js'), 'serve', '--config', join(dir, 'router.yaml')], dir, env);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'falx-bench-storm-'));
  const slack = new SlackStandIn();
  await slack.start();
  let router: { child: ChildProcess; url: string } | undefined;
  try {
    writeFileSync(join(dir, 'router.yaml'), routerYaml(dir, slack.url));
    router = await startRouter(dir, { FALX_BENCH_TOKEN: 'bench-token', FALX_BENCH_API_TOKEN: 'bench-api-token', FALX_BENCH_SLACK_TOKEN: 'xoxb-bench' });
    const pid = router.child.pid ?? 0;
    const url = router.url;
    const baseline = rssBytes(pid);
    console.log(`router RSS at start: ${(baseline / 1048576).toFixed(1)} MB`);
    let posted = 0;
    let allMet = true;
    const peaks: number[] = [];
    for (const count of steps) {
      let peak = rssBytes(pid);
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssBytes(pid));
      }, 100);
      const result = await runStorm({ events: count, rate: 0, pods: 50, namespaces: 5, url: () => url, headers: { authorization: 'Bearer bench-token' }, concurrency: 32, deadlineMs: stepDeadlineMs });
      clearInterval(sampler);
      peak = Math.max(peak, rssBytes(pid));
      peaks.push(peak);
      posted += result.accepted;
      const rate = result.accepted / result.seconds;
      allMet &&= rate >= 3000 && peak < 200 * 1048576 && result.accepted === count;
      console.log(
        `after ${String(posted).padStart(7)} events: step of ${count} at ${Math.round(rate)} events/s (${result.accepted} stored, ${result.retries} retried), peak RSS ${(peak / 1048576).toFixed(1)} MB`,
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
    const growth = (peaks[peaks.length - 1] ?? 0) - (peaks[0] ?? 0);
    console.log(`Slack: ${messages} messages (${slack.updates().length} chat.update) for ${posted} events = ${((messages * 10_000) / posted).toFixed(2)} messages per 10,000 events; counts in messages add up to ${sum()} of ${posted}`);
    console.log(`RSS growth from the first step to the last: ${(growth / 1048576).toFixed(1)} MB (targets: >= 3000 events/s, RSS < 200 MB and flat, counts exact: ${allMet && sum() === posted ? 'met' : 'NOT met'})`);
  } finally {
    if (router !== undefined) {
      const exited = new Promise((resolve) => router?.child.once('exit', resolve));
      router.child.kill('SIGTERM');
      await exited;
    }
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
