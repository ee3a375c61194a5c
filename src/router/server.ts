/**
 * The running router: wires the real parts (the store, receivers, worker, group timers, express
 * app, an http or https listener), and shuts down gracefully: stop taking events, finish the requests in
 * flight, let sends in flight finish (bounded), then close the store.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { systemClock, type Clock } from './clock.ts';
import { allRoutes, type RouterConfig } from './config.ts';
import { DeliveryWorker } from './delivery-worker.ts';
import { Dispatcher } from './dispatcher.ts';
import { createApp, type Lifecycle } from './http/app.ts';
import { Authenticator } from './http/auth.ts';
import { RateLimiter } from './http/rate-limit.ts';
import type { Logger } from './logger.ts';
import { Gauge, RouterMetrics } from './metrics.ts';
import { GroupTimers } from './noise/group-timers.ts';
import { SilenceCache } from './noise/silences.ts';
import type { Receiver } from './receivers/receiver.ts';
import type { Secret } from './secret.ts';
import { openStore } from './store/open-store.ts';
import type { InhibitionRecord, QueueCount, RouterStore, SilenceCursor } from './store/store.ts';

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

/** This process's name in claims and leases: the pod name (HOSTNAME) and the pid. */
export function replicaName(): string {
  return `${process.env['HOSTNAME'] ?? hostname()}:${process.pid}`;
}

/** A claim outlasts the slowest send (receivers time out well within it). */
const deliveryLeaseMs = 60_000;
/** How often each replica re-reads silences others may have written. */
const silenceRefreshMs = 1000;

/** Starts the router described by `config`. */
export async function startRouter(config: RouterConfig, deps: ServerDeps): Promise<RunningRouter> {
  const clock = deps.clock ?? systemClock;
  const { logger } = deps;
  const replica = replicaName();
  const routes = allRoutes(config.route);
  const routeByPath = new Map(routes.map((route) => [route.path, route]));
  const routeLabel = (path: string): string => routeByPath.get(path)?.label ?? path;
  const receivers = new Map<string, Receiver>();
  for (const receiver of config.receivers) receivers.set(receiver.name, receiver.build(receiver.name, { clock, logger, writeLine: deps.writeLine }));
  const store: RouterStore = await openStore(config, { clock, receivers, grouping: (path) => routeByPath.get(path)?.grouping, logger, replica });

  // Gauges are read synchronously when rendered: refreshed from the store just before.
  let queue: readonly QueueCount[] = [];
  let activeGroups = new Map<string, number>();
  let inhibitions: readonly InhibitionRecord[] = [];
  const refreshMetrics = async (): Promise<void> => {
    const now = clock.now();
    const [counts, groups, active] = await Promise.all([store.queueCounts(), store.listGroups(), store.listInhibitions(now)]);
    queue = counts;
    activeGroups = new Map();
    for (const group of groups) activeGroups.set(routeLabel(group.route), (activeGroups.get(routeLabel(group.route)) ?? 0) + 1);
    inhibitions = active;
  };
  const metrics = new RouterMetrics();
  metrics.addGauge(
    new Gauge('falx_queue_depth', 'Deliveries waiting to be sent, by receiver.', () =>
      queue.filter((row) => row.state === 'pending').map((row) => ({ labels: { receiver: row.receiver }, value: row.count })),
    ),
  );
  metrics.addGauge(
    new Gauge('falx_deliveries_dead', 'Deliveries in the dead-letter state, by receiver.', () =>
      queue.filter((row) => row.state === 'dead').map((row) => ({ labels: { receiver: row.receiver }, value: row.count })),
    ),
  );

  const silences = new SilenceCache();
  let silenceCursor: SilenceCursor | undefined;
  const refreshSilences = async (): Promise<void> => {
    const changed = await store.silencesChangedSince(silenceCursor);
    silences.apply(changed.silences);
    silenceCursor = changed.cursor;
  };
  await refreshSilences();
  let wakeWorker = (): void => undefined;
  const timers = new GroupTimers({ store, replica, clock, metrics, logger, routeLabel, onPlanned: () => wakeWorker(), ...(store.kind === 'postgres' ? { pollMs: 1000 } : {}) });
  metrics.addGauge(new Gauge('falx_groups_active', 'Aggregation groups being tracked, by route.', () => [...activeGroups].map(([route, value]) => ({ labels: { route }, value }))));
  metrics.addGauge(
    new Gauge('falx_silences', 'Silences by state.', () => Object.entries(silences.counts(clock.now())).map(([state, value]) => ({ labels: { state }, value }))),
  );
  metrics.addGauge(new Gauge('falx_inhibitions_active', 'Inhibitions in force (a source event seen within its rule\'s duration).', () => [{ labels: {}, value: inhibitions.length }]));

  const worker = new DeliveryWorker({
    store,
    replica,
    leaseMs: deliveryLeaseMs,
    receivers,
    clock,
    logger,
    metrics,
    policy: { initialBackoffMs: config.delivery.initialBackoffMs, maxBackoffMs: config.delivery.maxBackoffMs, maxAttempts: config.delivery.maxAttempts },
    concurrency: config.delivery.concurrency,
    receiverConcurrency: config.delivery.receiverConcurrency,
    pollIntervalMs: config.delivery.pollIntervalMs,
  });
  wakeWorker = () => worker.wake();
  const dispatcher = new Dispatcher({
    root: config.route,
    store,
    metrics,
    silences,
    inhibitRules: config.inhibitRules,
    grouping: true,
    onStored: () => worker.wake(),
    onGroupDue: (at) => timers.arm(at),
  });
  const tls = config.listen.tls;
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = createApp({
    clock,
    logger,
    metrics,
    dispatcher,
    store,
    silences,
    routeLabel,
    refreshMetrics,
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
    routes: config.route,
    secureCookies: tls !== undefined,
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
  timers.start();
  const silenceRefresh = setInterval(() => {
    refreshSilences().catch((error: unknown) => logger.log('warn', 'reading silences failed', { error: error instanceof Error ? error.message : String(error) }));
  }, silenceRefreshMs);
  silenceRefresh.unref();
  let pruning = false;
  const prune = setInterval(() => {
    if (pruning) return;
    pruning = true;
    void (async () => {
      try {
        const before = clock.now() - 86_400_000;
        // One bounded batch per turn of the event loop: requests keep being served meanwhile.
        while (!closing && (await store.prune(before, 2_000)) > 0) await new Promise((resolve) => setImmediate(resolve));
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
      clearInterval(silenceRefresh);
      logger.log('info', 'falx router shutting down', { in_flight_sends: worker.busy });
      // Stop accepting; requests in flight complete (their events get stored), idle sockets close now.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const forced = setTimeout(() => server.closeAllConnections(), config.delivery.drainTimeoutMs);
      await closed;
      clearTimeout(forced);
      timers.stop();
      await timers.settled();
      const drained = await worker.stop(deadline - Date.now());
      logger.log('info', 'falx router drained', { sends_finished: drained.finished, sends_left_pending: drained.pending });
      await Promise.allSettled([...receivers.values()].map((receiver) => receiver.close()));
      await store.close();
      logger.log('info', 'falx router stopped', {});
    })();
    return closing;
  };
  const summary = { url, config: config.file, storage: store.kind === 'sqlite' ? config.storage.path : store.kind, replica, receivers: [...receivers.keys()], auth: config.auth.pathSecrets.length + config.auth.tokens.length + config.auth.apiTokens.length > 0 || tls?.clientCa !== undefined };
  return { url, summary, metrics, close };
}
