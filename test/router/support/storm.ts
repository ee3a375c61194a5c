/**
 * An alert storm for end-to-end tests and the storm benchmark: events of one rule from many pods
 * in a few namespaces, posted over keep-alive HTTP at a steady rate by a fixed number of workers.
 * A post that fails (the router was killed) is retried against the current URL until it is
 * accepted or the deadline passes: what a sender that must not lose events does.
 */
import { Agent, request } from 'node:http';

export interface StormOptions {
  readonly events: number;
  /** Events per second to aim for (0: as fast as the router takes them). */
  readonly rate: number;
  readonly pods: number;
  readonly namespaces: number;
  /** Where to post; read before each attempt, so a test can point it at a restarted router. */
  readonly url: () => string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Give each event a uuid, as Falcosidekick does (re-posts are then recognised). */
  readonly uuids?: boolean;
  readonly concurrency?: number;
  /** Give up after this long. */
  readonly deadlineMs: number;
  readonly rule?: string;
}

export interface StormResult {
  /** Events accepted with a 2xx. */
  readonly accepted: number;
  /** Failed attempts that were retried. */
  readonly retries: number;
  readonly seconds: number;
  /** Accepted events per namespace. */
  readonly perNamespace: ReadonlyMap<string, number>;
}

/** The namespace of event `index`. */
export function namespaceOf(index: number, options: Pick<StormOptions, 'pods' | 'namespaces'>): string {
  return `team-${(index % options.pods) % options.namespaces}`;
}

/** The JSON body of event `index`. */
export function stormEvent(index: number, options: Pick<StormOptions, 'pods' | 'namespaces' | 'uuids' | 'rule'>): string {
  const pod = index % options.pods;
  return JSON.stringify({
    ...(options.uuids === true ? { uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}` } : {}),
    output: `17:15:03.434319636: Warning Outbound connection to a junk destination (pod=web-${pod} cmdline=curl -s http://10.0.0.${pod % 7}/)`,
    priority: 'Warning',
    rule: options.rule ?? 'Unexpected outbound connection',
    time: new Date().toISOString(),
    source: 'syscall',
    hostname: `node-${pod % 10}`,
    tags: ['network'],
    output_fields: {
      'k8s.ns.name': namespaceOf(index, options),
      'k8s.pod.name': `web-${pod}`,
      'proc.cmdline': `curl -s http://10.0.0.${pod % 7}/`,
      'proc.name': 'curl',
      'fd.sip': `10.0.0.${pod % 7}`,
      'evt.num': index,
    },
  });
}

/** Posts the storm; resolves when every event was accepted or the deadline passed. */
export async function runStorm(options: StormOptions): Promise<StormResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 16 });
  const started = performance.now();
  const perNamespace = new Map<string, number>();
  let next = 0;
  let accepted = 0;
  let retries = 0;
  const post = (body: string): Promise<number> =>
    new Promise((resolve) => {
      const req = request(
        new URL('/events', options.url()),
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...options.headers }, timeout: 10_000 },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', () => resolve(0));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(0));
      req.end(body);
    });
  const worker = async (): Promise<void> => {
    while (next < options.events) {
      const index = next++;
      if (options.rate > 0) {
        const due = started + (index * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const body = stormEvent(index, options);
      for (;;) {
        const status = await post(body);
        if (status >= 200 && status < 300) break;
        if (performance.now() - started > options.deadlineMs) return;
        retries += 1;
        await new Promise((resolve) => setTimeout(resolve, status === 0 ? 100 : 20));
      }
      accepted += 1;
      const namespace = namespaceOf(index, options);
      perNamespace.set(namespace, (perNamespace.get(namespace) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  agent.destroy();
  return { accepted, retries, seconds: (performance.now() - started) / 1000, perNamespace };
}
