/**
 * The router's HTTP application: `createApp(deps)` builds the request listener from injected parts
 * and does not listen, so tests and the server wire it as they need. Ingest is served on
 * `node:http` directly (ingest.ts); health, metrics and the API on express.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { LimitsConfig, RouteConfig } from '../config.ts';
import type { Clock } from '../clock.ts';
import type { Dispatcher } from '../dispatcher.ts';
import type { SilenceCache } from '../noise/silences.ts';
import type { Logger } from '../logger.ts';
import type { RouterMetrics } from '../metrics.ts';
import type { RouterStore } from '../store/store.ts';
import { apiRouter } from './api.ts';
import type { Authenticator } from './auth.ts';
import { HttpError, sendHttpError } from './errors.ts';
import { handleIngest, ingestTarget } from './ingest.ts';
import type { RateLimiter } from './rate-limit.ts';
import { uiRouter } from '../ui/ui-router.ts';

/** Whether the router is taking events. */
export interface Lifecycle {
  shuttingDown: boolean;
}

/** Everything the app uses, injected. */
export interface AppDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RouterMetrics;
  readonly dispatcher: Pick<Dispatcher, 'dispatch'>;
  readonly store: RouterStore;
  /** This replica's compiled silences. */
  readonly silences: SilenceCache;
  /** A route path's label, for the groups API. */
  readonly routeLabel: (path: string) => string;
  /** Reads what the gauges show from the store, before `/metrics` renders them. */
  readonly refreshMetrics: () => Promise<void>;
  readonly auth: Authenticator;
  readonly rateLimiter: RateLimiter;
  readonly limits: LimitsConfig;
  readonly lifecycle: Lifecycle;
  readonly newUuid: () => string;
  /** Called when a dead delivery is queued again, to wake the worker. */
  readonly onRetry: () => void;
  /** The route tree, for the UI's route tester and an event's route path. */
  readonly routes: RouteConfig;
  /** The listener is TLS: the UI's session cookie gets `Secure`. */
  readonly secureCookies: boolean;
}

/** The request listener: ingest on `node:http` directly (see ingest.ts), everything else on express. */
export function createApp(deps: AppDeps): RequestListener {
  const app = expressApp(deps);
  return (request: IncomingMessage, response: ServerResponse) => {
    const target = ingestTarget(request.method, request.url);
    if (target === undefined) app(request, response);
    else void handleIngest(deps, request, response, target.secret);
  };
}

function expressApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  app.get('/readyz', (_request, response) => {
    const ready = !deps.lifecycle.shuttingDown && deps.store.healthy();
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : deps.lifecycle.shuttingDown ? 'shutting down' : 'store unavailable' });
  });
  app.get('/metrics', async (_request, response) => {
    try {
      await deps.refreshMetrics();
    } catch (error) {
      // The store's gauges keep their last values; the process's own metrics are still worth serving.
      deps.logger.log('warn', 'reading the store for metrics failed', { error: error instanceof Error ? error.message : String(error) });
    }
    response.type('text/plain; version=0.0.4; charset=utf-8').send(deps.metrics.render());
  });

  app.use('/api', apiRouter(deps));
  app.use('/ui', uiRouter(deps));

  app.all(['/', '/events'], () => {
    throw new HttpError('FALX_ERR_METHOD_NOT_ALLOWED', { allowed: 'POST' }, { Allow: 'POST' });
  });
  app.use((request: Request) => {
    throw new HttpError('FALX_ERR_NOT_FOUND', { method: request.method, path: request.path.replace(/^(\/events)?\/[^/]+$/, '$1/…').slice(0, 100) });
  });

  // express 5 forwards thrown and rejected handlers here; every error leaves as the same JSON shape.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    sendHttpError(response, error, deps);
  });
  return app;
}
