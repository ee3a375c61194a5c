/**
 * `POST /`, `POST /events` (and their secret-path forms): one Falco or Falcosidekick event per
 * request. The reply is 200 only once the event and its deliveries are committed to the outbox;
 * anything invalid is refused with a 4xx that says what is wrong, and nothing of it is stored.
 *
 * Ingest is served on `node:http` directly, not through express: it is the one path every event
 * takes, and express's routing and body parsing cost more CPU per event than validating, routing
 * and storing it. The other endpoints stay on express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseEventJson } from '../event-json.ts';
import { eventFingerprint } from '../dispatcher.ts';
import { validateEvent, type EventProblem } from '../event.ts';
import type { AppDeps } from './app.ts';
import type { AuthScope } from './auth.ts';
import { HttpError, sendHttpError, type HttpErrorCode } from './errors.ts';
import { readRequestText } from './request-body.ts';

const problemCodes: Readonly<Record<EventProblem['kind'], HttpErrorCode>> = {
  'not-an-object': 'FALX_ERR_NOT_AN_EVENT',
  'missing-field': 'FALX_ERR_MISSING_FIELD',
  'invalid-field': 'FALX_ERR_INVALID_FIELD',
  'unknown-priority': 'FALX_ERR_UNKNOWN_PRIORITY',
};

/**
 * Who the caller is, for `scope` (ingest or API), once the router takes requests, the caller is
 * within its rate and its credentials are valid; throws the HttpError otherwise. Runs before the
 * body is read. `pathSecret` is the secret path segment of an ingest request, if any.
 */
export function admit(deps: AppDeps, request: IncomingMessage, scope: AuthScope, pathSecret?: string): string {
  if (deps.lifecycle.shuttingDown) throw new HttpError('FALX_ERR_SHUTTING_DOWN', {}, { 'Retry-After': '5' });
  const identity = deps.auth.identify(request, scope, pathSecret);
  // One bucket per client within each credential: many Falco nodes share one path secret, and
  // a noisy one must not get another's events refused. Callers without valid credentials share
  // their address's bucket, so guessing secrets is rate-limited too.
  const address = request.socket.remoteAddress ?? 'unknown';
  deps.rateLimiter.check(identity === undefined ? `ip:${address}` : `${identity} ${address}`);
  if (identity === undefined) throw new HttpError('FALX_ERR_UNAUTHORIZED', {}, { 'WWW-Authenticate': 'Bearer realm="falx"' });
  return identity;
}

/** {@link admit} as express middleware (the API's); the identity goes to `response.locals`. */
export function authenticate(deps: AppDeps, scope: AuthScope): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    response.locals['identity'] = admit(deps, request, scope);
    next();
  };
}

/** Refuses bodies that are not JSON before reading them (Falco sends text/plain when json_output is off). */
export function checkJsonContentType(request: IncomingMessage): void {
  const type = request.headers['content-type'];
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) throw new HttpError('FALX_ERR_CONTENT_TYPE', { type: type === undefined ? 'none' : JSON.stringify(type.slice(0, 100)) });
}

/** {@link checkJsonContentType} as express middleware. */
export const requireJson: RequestHandler = (request, _response, next) => {
  checkJsonContentType(request);
  next();
};

/**
 * Whether a request is for an ingest endpoint, and with which path secret: `{}` for `/` and
 * `/events`, `{ secret }` for `/events/{secret}` and `/{secret}`, undefined for anything else.
 */
export function ingestTarget(method: string | undefined, url: string | undefined): { secret?: string } | undefined {
  if (method !== 'POST' || url === undefined) return undefined;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  if (path === '/' || path === '/events' || path === '/events/') return {};
  const match = /^\/(?:events\/)?([^/]+)\/?$/.exec(path);
  // `/api` and `/ui` are the API's and the UI's (their own 404s and 401s), not secrets.
  if (match?.[1] === undefined || match[1] === 'api' || match[1] === 'ui') return undefined;
  try {
    return { secret: decodeURIComponent(match[1]) };
  } catch {
    return { secret: '' };
  }
}

/** Serves one ingest request: admit, read, validate, route and store, then answer. */
export async function handleIngest(deps: AppDeps, request: IncomingMessage, response: ServerResponse, pathSecret: string | undefined): Promise<void> {
  try {
    const started = performance.now();
    admit(deps, request, 'ingest', pathSecret);
    checkJsonContentType(request);
    const text = await readRequestText(request, deps.limits.maxBodyBytes);
    if (text.trim() === '') throw new HttpError('FALX_ERR_BAD_JSON', { detail: 'the body is empty' });
    let body: unknown;
    try {
      body = parseEventJson(text);
    } catch (error) {
      throw new HttpError('FALX_ERR_BAD_JSON', { detail: error instanceof Error ? error.message.slice(0, 200) : 'unparseable' });
    }
    const receivedAt = deps.clock.now();
    const validation = validateEvent(body, deps.newUuid, receivedAt);
    if (!validation.ok) throw new HttpError(problemCodes[validation.problem.kind], { detail: validation.problem.message });
    // The store's probe says it does not answer: refuse at once rather than hold the request (Falco does not queue; a 503 says retry).
    if (!deps.store.healthy()) throw new HttpError('FALX_ERR_STORE_UNAVAILABLE', {}, { 'Retry-After': '5' });
    let result;
    try {
      // Hashed as parsed, so whitespace differences of a re-post do not count; a missing time or
      // uuid, filled in on receipt, is not part of it either.
      result = await deps.dispatcher.dispatch(validation.event, receivedAt, eventFingerprint(JSON.stringify(body)));
    } catch (error) {
      deps.logger.log('error', 'storing an event failed', { error: error instanceof Error ? error.message : String(error) });
      throw new HttpError('FALX_ERR_STORE_UNAVAILABLE', {}, { 'Retry-After': '5' });
    }
    if (result.conflict) throw new HttpError('FALX_ERR_UUID_CONFLICT', { uuid: validation.event.uuid });
    deps.metrics.ingest.observe((performance.now() - started) / 1000);
    sendJson(response, 200, {
      status: result.duplicate ? 'duplicate' : 'stored',
      uuid: validation.event.uuid,
      routes: result.routes.map((route) => route.label),
      deliveries: result.deliveries,
      ...(result.grouped > 0 ? { grouped: result.grouped } : {}),
      ...(result.muted !== undefined ? { muted: result.muted.kind } : {}),
    });
  } catch (error) {
    sendHttpError(response, error, deps);
  }
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
