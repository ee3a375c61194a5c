/**
 * The silences API (`/api/silences`): create, list, read and expire silences, after
 * Alertmanager's `/api/v2/silences`. A silence's condition is checked with the same rules as a
 * route's `match`; a bad one is refused with the diagnostics (line:column in the condition).
 * Also `/api/groups` and `/api/inhibitions`, read-only views of noise control's state.
 */
import express, { Router, type Request, type Response } from 'express';
import { summarize } from '../noise/group-transitions.ts';
import { silenceState, type Silence, type SilenceState } from '../noise/silences.ts';
import type { AppDeps } from './app.ts';
import { HttpError } from './errors.ts';
import { requireJson } from './ingest.ts';
import { invalidSilence, newSilence } from './silence-input.ts';

const states: readonly SilenceState[] = ['pending', 'active', 'expired'];

/** A silence as JSON, with its state and the events it muted. */
function view(silence: Silence, now: number, muted: number): Record<string, string | number> {
  return {
    id: silence.id,
    condition: silence.condition,
    state: silenceState(silence, now),
    startsAt: new Date(silence.startsAt).toISOString(),
    endsAt: new Date(silence.endsAt).toISOString(),
    createdBy: silence.createdBy,
    comment: silence.comment,
    createdAt: new Date(silence.createdAt).toISOString(),
    updatedAt: new Date(silence.updatedAt).toISOString(),
    muted,
  };
}

/** Adds the silences, groups and inhibitions endpoints to the (authenticated) `/api` router. */
export function addNoiseControlApi(router: Router, deps: AppDeps): void {
  const muted = (): Promise<Map<string, number>> => deps.store.mutedCounts('silence');

  router.post('/silences', requireJson, express.text({ type: () => true, limit: '16kb' }), async (request: Request, response: Response) => {
    let body: unknown;
    try {
      body = JSON.parse(String(request.body));
    } catch (error) {
      throw new HttpError('FALX_ERR_BAD_JSON', { detail: error instanceof Error ? error.message.slice(0, 200) : 'unparseable' });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidSilence('The body must be a JSON object.');
    const fields = body as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (!['condition', 'startsAt', 'endsAt', 'duration', 'createdBy', 'comment'].includes(key)) throw invalidSilence(`Unknown key "${key.slice(0, 40)}"; expected condition, startsAt, endsAt or duration, createdBy, comment.`);
    }
    const { silence, matches } = newSilence(fields, { now: deps.clock.now(), maxSilenceMs: deps.limits.maxSilenceMs, newUuid: deps.newUuid });
    const now = silence.createdAt;
    // Answered once durable; this replica mutes with it at once, the others on their next refresh.
    await deps.store.createSilence(silence);
    deps.silences.put(silence, matches);
    deps.logger.log('info', 'silence created', { silence: silence.id, by: String(response.locals['identity']), created_by: silence.createdBy, ends_at: new Date(silence.endsAt).toISOString() });
    response.status(201).json(view(silence, now, 0));
  });

  router.get('/silences', async (request: Request, response: Response) => {
    const state = request.query['state'];
    if (state !== undefined && !states.includes(state as SilenceState)) throw new HttpError('FALX_ERR_BAD_QUERY', { detail: 'state must be pending, active or expired.' });
    const now = deps.clock.now();
    const counts = await muted();
    const silences = deps.silences.list().filter((silence) => state === undefined || silenceState(silence, now) === state);
    response.json({ silences: silences.map((silence) => view(silence, now, counts.get(silence.id) ?? 0)) });
  });

  router.get('/silences/:id', async (request: Request, response: Response) => {
    const id = String(request.params['id']);
    const silence = deps.silences.get(id);
    if (silence === undefined) throw new HttpError('FALX_ERR_SILENCE_NOT_FOUND', { id: id.slice(0, 40) });
    response.json(view(silence, deps.clock.now(), (await muted()).get(id) ?? 0));
  });

  router.delete('/silences/:id', async (request: Request, response: Response) => {
    const id = String(request.params['id']);
    const now = deps.clock.now();
    const silence = await deps.store.expireSilence(id, now);
    if (silence === undefined) throw new HttpError('FALX_ERR_SILENCE_NOT_FOUND', { id: id.slice(0, 40) });
    deps.silences.apply([silence]);
    deps.logger.log('info', 'silence expired', { silence: id, by: String(response.locals['identity']) });
    response.json(view(silence, now, (await muted()).get(id) ?? 0));
  });

  router.get('/groups', async (_request: Request, response: Response) => {
    const groups = await deps.store.listGroups();
    groups.sort((a, b) => b.lastSeen - a.lastSeen || a.id - b.id);
    response.json({ groups: groups.map((group) => summarize(group, deps.routeLabel(group.route))) });
  });

  router.get('/inhibitions', async (_request: Request, response: Response) => {
    const now = deps.clock.now();
    const [counts, active] = await Promise.all([deps.store.mutedCounts('inhibit'), deps.store.listInhibitions(now)]);
    response.json({
      active: active.map((entry) => ({ rule: entry.rule, equal: entry.equal, until: new Date(entry.until).toISOString() })),
      muted: Object.fromEntries(counts),
    });
  });
}
