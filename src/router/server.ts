/**
 * The running router: wires the real parts (SQLite outbox, receivers, worker, express app, an
 * http or https listener), and shuts down gracefully: stop taking events, finish the requests in
 * flight, let sends in flight finish (bounded), then close the store.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { systemClock, type Clock } from './clock.ts';
import { allRoutes, type RouterConfig } from './config.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { Dispatcher } from './dispatcher.ts';
import { GroupStore } from './store/sqlite/group-store.ts';
import { Aggregator } from './noise/grouping.ts';
import { createApp, type Lifecycle } from './http/app.ts';
import { Authenticator } from './http/auth.ts';
import { RateLimiter } from './http/rate-limit.ts';
import type { Logger } from './logger.ts';
import { Inhibitor } from './noise/inhibition.ts';
import { Gauge, RouterMetrics } from './metrics.ts';
import { MuteStage } from './noise/mute.ts';
import { Outbox } from './store/sqlite/outbox.ts';
import { PacingStore } from './store/sqlite/pacing-store.ts';
import type { Receiver } from './receivers/receiver.ts';
import type { Secret } from './secret.ts';
import { SilenceStore } from './noise/silences.ts';

export interface ServerDeps {
  readonly clock?: Clock;
  readonly logger: Logger;
  /** Where the log receiver writes. */
  readonly writeLine: (line: string) => void;
}

/** A started router. */
export interface RunningRouter {
  /** `http://127.0.0.1:2802` — the bound address, with the real port when 0 was asked. */
  readonly url: string;
  /** What started, for the "listening" log line (never secrets). */
  readonly summary: Readonly<Record<string, unknown>>;
  readonly metrics: RouterMetrics;
  /** Graceful shutdown; resolves when everything is closed. Safe to call twice. */
  close(): Promise<void>;
}

function reveal(secret: Secret | 'unresolved'): string {
  if (secret === 'unresolved') throw new Error('a secret was not resolved; load the configuration with a secret source to serve');
  return secret.reveal();
}

/** Starts the router described by `config`. */
export async function startRouter(config: RouterConfig, deps: ServerDeps): Promise<RunningRouter> {
  const clock = deps.clock ?? systemClock;
  const { logger } = deps;
  // Read and checked, but the router does not run on it yet: refuse rather than quietly use SQLite.
  if (config.storage.postgres !== undefined) throw new Error('"postgres" in "storage" is not supported by this version of falx serve yet; remove it to use the SQLite store');
  mkdirSync(dirname(config.storage.path), { recursive: true });
  const outbox = new Outbox({ path: config.storage.path, synchronous: config.storage.synchronous, maxAgeMs: config.delivery.maxAgeMs });
  const metrics = new RouterMetrics();
  metrics.addGauge(
    new Gauge('falx_queue_depth', 'Deliveries waiting to be sent, by receiver.', () =>
      outbox.counts().filter((row) => row.state === 'pending').map((row) => ({ labels: { receiver: row.receiver }, value: row.count })),
    ),
  );
  metrics.addGauge(
    new Gauge('falx_deliveries_dead', 'Deliveries in the dead-letter state, by receiver.', () =>
      outbox.counts().filter((row) => row.state === 'dead').map((row) => ({ labels: { receiver: row.receiver }, value: row.count })),
    ),
  );

  // Noise control keeps its state in the outbox's file and commits with it.
  const groupStore = new GroupStore(outbox.database);
  const silences = new SilenceStore(outbox.database, randomUUID);
  const inhibitor = new Inhibitor(config.inhibitRules, outbox.database);
  outbox.addParticipant(inhibitor);
  const mute = new MuteStage(outbox.database, silences, inhibitor, metrics);
  let wakeWorker = (): void => undefined;
  const aggregator = new Aggregator({ outbox, store: groupStore, routes: allRoutes(config.route), clock, metrics, logger, onPlanned: () => wakeWorker() });
  outbox.addParticipant(aggregator);
  metrics.addGauge(
    new Gauge('falx_groups_active', 'Aggregation groups being tracked, by route.', () => [...aggregator.activeByRoute()].map(([route, value]) => ({ labels: { route }, value }))),
  );
  metrics.addGauge(
    new Gauge('falx_silences', 'Silences by state.', () => Object.entries(silences.counts(clock.now())).map(([state, value]) => ({ labels: { state }, value }))),
  );
  metrics.addGauge(new Gauge('falx_inhibitions_active', 'Inhibitions in force (a source event seen within its rule\'s duration).', () => [{ labels: {}, value: inhibitor.list(clock.now()).length }]));

  const receivers = new Map<string, Receiver>();
  for (const receiver of config.receivers) receivers.set(receiver.name, receiver.build(receiver.name, { clock, logger, writeLine: deps.writeLine }));
  const worker = new DeliveryWorker({
    outbox,
    receivers,
    clock,
    logger,
    metrics,
    threads: groupStore,
    pacing: new PacingStore(outbox.database),
    policy: { initialBackoffMs: config.delivery.initialBackoffMs, maxBackoffMs: config.delivery.maxBackoffMs, maxAttempts: config.delivery.maxAttempts },
    concurrency: config.delivery.concurrency,
    receiverConcurrency: config.delivery.receiverConcurrency,
    pollIntervalMs: config.delivery.pollIntervalMs,
  });
  wakeWorker = () => worker.wake();
  const dispatcher = new Dispatcher(config.route, outbox, metrics, mute, aggregator, () => worker.wake());
  const tls = config.listen.tls;
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({
    clock,
    logger,
    metrics,
    dispatcher,
    outbox,
    silences,
    mute,
    aggregator,
    auth: new Authenticator({
      pathSecrets: config.auth.pathSecrets.map(reveal),
      tokens: config.auth.tokens.map(reveal),
      apiTokens: config.auth.apiTokens.map(reveal),
      legacyTokensOpenApi: config.auth.legacyTokensOpenApi,
      clientCertificates: tls?.clientCa !== undefined,
    }),
    rateLimiter: new RateLimiter(config.limits.rateLimit.perSecond, config.limits.rateLimit.burst, clock),
    limits: config.limits,
    lifecycle,
    newUuid: randomUUID,
    onRetry: () => worker.wake(),
  });

  const server: Server = tls
    ? createHttpsServer(
        {
          cert: reveal(tls.cert),
          key: reveal(tls.key),
          ...(tls.clientCa !== undefined ? { ca: reveal(tls.clientCa), requestCert: true, rejectUnauthorized: tls.requireClientCert } : {}),
          minVersion: 'TLSv1.2',
        },
        app,
      )
    : createHttpServer(app);
  // Slow clients must not pin connections (slowloris); keep-alive outlives common proxies' 60 s.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.listen.port, config.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${tls ? 'https' : 'http'}://${host}:${address.port}`;
  worker.start();
  aggregator.start();
  let pruning = false;
  const prune = setInterval(() => {
    if (pruning) return;
    pruning = true;
    void (async () => {
      try {
        const before = clock.now() - 86_400_000;
        // One bounded batch per turn of the event loop: requests keep being served meanwhile.
        while (!closing && outbox.prune(before) > 0) await new Promise((resolve) => setImmediate(resolve));
        inhibitor.prune(clock.now());
      } catch (error) {
        logger.log('warn', 'pruning the outbox failed', { error: error instanceof Error ? error.message : String(error) });
      } finally {
        pruning = false;
      }
    })();
  }, 3_600_000);
  prune.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // One budget for the whole drain: requests in flight, then sends in flight.
      const deadline = Date.now() + config.delivery.drainTimeoutMs;
      lifecycle.shuttingDown = true;
      clearInterval(prune);
      logger.log('info', 'falx router shutting down', { in_flight_sends: worker.busy });
      // Stop accepting; requests in flight complete (their events get stored), idle sockets close now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), config.delivery.drainTimeoutMs);
      await closed;
      clearTimeout(forced);
      aggregator.stop();
      outbox.flush();
      await worker.stop(deadline - Date.now());
      await Promise.allSettled([...receivers.values()].map((receiver) => receiver.close()));
      outbox.close();
      logger.log('info', 'falx router stopped', {});
    })();
    return closing;
  };
  const summary = { url, config: config.file, storage: config.storage.path, receivers: [...receivers.keys()], auth: config.auth.pathSecrets.length + config.auth.tokens.length + config.auth.apiTokens.length > 0 || tls?.clientCa !== undefined };
  return { url, summary, metrics, close };
}
