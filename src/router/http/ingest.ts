/**
 * `POST /`, `POST /events` (and their secret-path forms): one Falco or Falcosidekick event per
 * request. The reply is 200 only once the event and its deliveries are committed to the outbox;
 * anything invalid is refused with a 4xx that says what is wrong, and nothing of it is stored.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { parseEventJson } from '../event-json.ts';
import { eventFingerprint } from '../dispatcher.ts';
import { validateEvent, type EventProblem } from '../event.ts';
import type { AppDeps } from './app.ts';
import type { AuthScope } from './auth.ts';
import { HttpError, type HttpErrorCode } from './errors.ts';

const problemCodes: Readonly<Record<EventProblem['kind'], HttpErrorCode>> = {
  'not-an-object': 'FALX_ERR_NOT_AN_EVENT',
  'missing-field': 'FALX_ERR_MISSING_FIELD',
  'invalid-field': 'FALX_ERR_INVALID_FIELD',
  'unknown-priority': 'FALX_ERR_UNKNOWN_PRIORITY',
};

/**
 * Authenticates and rate-limits a request before its body is read, for `scope` (ingest or API).
 * `secretParam` names the route parameter holding a path secret.
 */
export function authenticate(deps: AppDeps, scope: AuthScope, secretParam?: string): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (deps.lifecycle.shuttingDown) throw new HttpError('FALX_ERR_SHUTTING_DOWN', {}, { 'Retry-After': '5' });
    const secret = secretParam === undefined ? undefined : request.params[secretParam];
    const identity = deps.auth.identify(request, scope, typeof secret === 'string' ? secret : undefined);
    // One bucket per client within each credential: many Falco nodes share one path secret, and
    // a noisy one must not get another's events refused. Callers without valid credentials share
    // their address's bucket, so guessing secrets is rate-limited too.
    const address = request.socket.remoteAddress ?? 'unknown';
    deps.rateLimiter.check(identity === undefined ? `ip:${address}` : `${identity} ${address}`);
    if (identity === undefined) throw new HttpError('FALX_ERR_UNAUTHORIZED', {}, { 'WWW-Authenticate': 'Bearer realm="falx"' });
    response.locals['identity'] = identity;
    next();
  };
}

/** Refuses bodies that are not JSON before reading them (Falco sends text/plain when json_output is off). */
export const requireJson: RequestHandler = (request, _response, next) => {
  const type = request.headers['content-type'];
  if (type === undefined || !/^application\/json\s*(;|$)/i.test(type)) throw new HttpError('FALX_ERR_CONTENT_TYPE', { type: type === undefined ? 'none' : JSON.stringify(type.slice(0, 100)) });
  next();
};

/** Reads the body as text, up to the size limit. */
export function readBody(limit: number): RequestHandler {
  return express.text({ type: () => true, limit, defaultCharset: 'utf-8' });
}

/** Validates, routes and stores the event. */
export function ingest(deps: AppDeps): RequestHandler {
  return async (request: Request, response: Response) => {
    const started = performance.now();
    const text: unknown = request.body;
    if (typeof text !== 'string' || text.trim() === '') throw new HttpError('FALX_ERR_BAD_JSON', { detail: 'the body is empty' });
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
    response.status(200).json({
      status: result.duplicate ? 'duplicate' : 'stored',
      uuid: validation.event.uuid,
      routes: result.routes.map((route) => route.label),
      deliveries: result.deliveries,
      ...(result.grouped > 0 ? { grouped: result.grouped } : {}),
      ...(result.muted !== undefined ? { muted: result.muted.kind } : {}),
    });
  };
}
