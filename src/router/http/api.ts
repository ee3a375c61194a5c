/**
 * The deliveries API: list deliveries by state (the dead-letter queue is `?state=dead`) and send
 * a dead one again; the noise-control endpoints (silences, groups, inhibitions) join it. Only API
 * credentials (`api_tokens`, a client certificate) open it, never the ingest ones.
 */
import { Router, type Request, type Response } from 'express';
import type { DeliveryState } from '../store/store.ts';
import type { AppDeps } from './app.ts';
import { HttpError } from './errors.ts';
import { authenticate } from './ingest.ts';
import { addNoiseControlApi } from './silences-api.ts';

const states: readonly DeliveryState[] = ['pending', 'sent', 'dead'];

/** The `/api` router. */
export function apiRouter(deps: AppDeps): Router {
  const router = Router();
  router.use(authenticate(deps, 'api'));
  router.get('/deliveries', async (request: Request, response: Response) => {
    const state = request.query['state'];
    if (state !== undefined && !states.includes(state as DeliveryState)) throw new HttpError('FALX_ERR_BAD_QUERY', { detail: 'state must be pending, sent or dead.' });
    const limit = request.query['limit'] === undefined ? 100 : Number(request.query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError('FALX_ERR_BAD_QUERY', { detail: 'limit must be an integer from 1 to 1000.' });
    const before = request.query['before'] === undefined ? undefined : Number(request.query['before']);
    if (before !== undefined && !Number.isInteger(before)) throw new HttpError('FALX_ERR_BAD_QUERY', { detail: 'before must be a delivery id.' });
    const deliveries = await deps.store.listDeliveries(state as DeliveryState | undefined, limit, before);
    const last = deliveries[deliveries.length - 1];
    response.json({ deliveries, ...(deliveries.length === limit && last ? { next: `?${new URLSearchParams({ ...(state ? { state: String(state) } : {}), limit: String(limit), before: String(last.id) })}` } : {}) });
  });
  router.post('/deliveries/:id/retry', async (request: Request, response: Response) => {
    const id = Number(request.params['id']);
    if (!Number.isInteger(id)) throw new HttpError('FALX_ERR_DELIVERY_NOT_FOUND', { id: String(request.params['id']).slice(0, 40) });
    const outcome = await deps.store.retryDead(id, deps.clock.now());
    if (outcome === 'not-found') throw new HttpError('FALX_ERR_DELIVERY_NOT_FOUND', { id });
    if (outcome !== 'retried') throw new HttpError('FALX_ERR_DELIVERY_NOT_DEAD', { id, state: outcome });
    deps.logger.log('info', 'dead delivery queued again', { delivery: id, by: String(response.locals['identity']) });
    deps.onRetry();
    response.json({ id, state: 'pending' });
  });
  router.post('/deliveries/retry-dead', async (_request: Request, response: Response) => {
    const count = await deps.store.retryAllDead(deps.clock.now());
    deps.logger.log('info', 'dead deliveries queued again', { count, by: String(response.locals['identity']) });
    if (count > 0) deps.onRetry();
    response.json({ retried: count });
  });
  addNoiseControlApi(router, deps);
  return router;
}
