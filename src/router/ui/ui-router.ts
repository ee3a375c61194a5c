/**
 * The web UI at `/ui`: server-rendered pages over the store, behind the API's credentials. A
 * login with an API token gives a signed session cookie (`session.ts`); every page needs it, and
 * every write (a POST) also needs the session's CSRF token and, when the browser sends one, an
 * Origin of this very host. Every response carries a strict Content-Security-Policy: scripts and
 * styles only from `/ui/static/`, no inline code, no frames, forms only to this origin.
 */
import { readFileSync } from 'node:fs';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { validateEvent, toMatchEvent } from '../event.ts';
import type { AppDeps } from '../http/app.ts';
import { HttpError } from '../http/errors.ts';
import { conditionDiagnosticText, newSilence } from '../http/silence-input.ts';
import { compileSilenceCondition } from '../noise/silences.ts';
import { traceRoutes } from '../route-tree.ts';
import { bucketSize } from './chart.ts';
import { newEvents, readEventSearch, searchEvents } from './event-search.ts';
import { eventRow, readEvent } from './event-view.ts';
import { deliveriesPage, deliveryStates } from './pages/deliveries.ts';
import { eventPage, eventsPage } from './pages/events.ts';
import { groupsPage } from './pages/groups.ts';
import { loginPage } from './pages/login.ts';
import { routeTestPage, type RouteTestResult } from './pages/route-test.ts';
import { silencesPage, type SilenceForm } from './pages/silences.ts';
import type { PageContext } from './layout.ts';
import { readCookie, sessionCookie, sessionMs, UiSessions, type UiSession } from './session.ts';

const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const staticFiles: Readonly<Record<string, { type: string; body: string }>> = {
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./static/app.js', import.meta.url), 'utf8') },
  'app.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./static/app.css', import.meta.url), 'utf8') },
};

const pageSize = 50;
const previewEvents = 2_000;

function session(response: Response): UiSession {
  return response.locals['session'] as UiSession;
}

function context(response: Response): PageContext {
  const { identity, csrf } = session(response);
  return { identity, csrf };
}

function field(request: Request, name: string): string {
  const body = request.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}

function html(response: Response, status: number, page: string): void {
  response.status(status).type('text/html; charset=utf-8').send(page);
}

/** A local path to return to after login; anything else goes to the events page. */
function safeNext(next: string): string {
  return /^\/ui\/[A-Za-z0-9/_\-?=&%.+]*$/.test(next) && !next.startsWith('//') ? next : '/ui/events';
}

export function uiRouter(deps: AppDeps): Router {
  const router = Router();
  const sessions = new UiSessions((identity) => deps.auth.sessionKey(identity));
  const cookie = (value: string, maxAgeSeconds: number): string =>
    `${sessionCookie}=${value}; Path=/ui; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${deps.secureCookies ? '; Secure' : ''}`;

  router.use((_request: Request, response: Response, next: NextFunction) => {
    response.set({
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      // Not no-referrer: with it, Chromium sends `Origin: null` on form posts, which the origin check refuses.
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    next();
  });
  router.get('/static/:file', (request: Request, response: Response) => {
    const file = staticFiles[String(request.params['file'])];
    if (file === undefined) throw new HttpError('FALX_ERR_NOT_FOUND', { method: 'GET', path: '/ui/static/…' });
    response.type(file.type).set('Cache-Control', 'no-cache').send(file.body);
  });

  const forms = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 50 });
  // A cross-site form post or fetch carries the attacker's Origin; SameSite=Strict already keeps the cookie off it.
  const sameOrigin = (request: Request): void => {
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null' && new URL(origin).host !== request.headers.host) throw new HttpError('FALX_ERR_CSRF');
    if (origin === 'null') throw new HttpError('FALX_ERR_CSRF');
  };

  router.get('/login', (request: Request, response: Response) => {
    // No token field when the connection itself is enough (an open router, a verified client certificate).
    html(response, 200, loginPage([], safeNext(String(request.query['next'] ?? '')), deps.auth.identify(request, 'api') === undefined));
  });
  router.post('/login', forms, (request: Request, response: Response) => {
    sameOrigin(request);
    const address = request.socket.remoteAddress ?? 'unknown';
    // Guessing tokens is rate-limited like any unauthenticated caller.
    deps.rateLimiter.check(`ip:${address}`);
    const next = safeNext(field(request, 'next'));
    const token = field(request, 'token');
    const identity = token !== '' ? deps.auth.identifyApiToken(token) : deps.auth.identify(request, 'api');
    const value = identity === undefined ? undefined : sessions.issue(identity, deps.clock.now());
    if (value === undefined) {
      deps.logger.log('warn', 'UI login refused', { address });
      html(response, 401, loginPage(['That token does not open the API (use one of auth.api_tokens).'], next, true));
      return;
    }
    deps.logger.log('info', 'UI login', { identity, address });
    response.set('Set-Cookie', cookie(value, sessionMs / 1000)).redirect(303, next);
  });

  // Everything below needs a session; writes need its CSRF token too.
  router.use((request: Request, response: Response, next: NextFunction) => {
    if (deps.lifecycle.shuttingDown) throw new HttpError('FALX_ERR_SHUTTING_DOWN', {}, { 'Retry-After': '5' });
    const current = sessions.verify(readCookie(request.headers.cookie, sessionCookie), deps.clock.now());
    if (current === undefined) {
      if (request.method === 'GET' && request.headers.accept?.includes('text/html') !== false && !request.path.endsWith('/feed')) {
        response.redirect(303, `/ui/login?next=${encodeURIComponent(request.originalUrl.slice(0, 500))}`);
        return;
      }
      throw new HttpError('FALX_ERR_UNAUTHORIZED', {}, { 'WWW-Authenticate': 'Bearer realm="falx"' });
    }
    response.locals['session'] = current;
    response.locals['identity'] = current.identity;
    next();
  });
  const checkCsrf = (request: Request, response: Response, next: NextFunction): void => {
    sameOrigin(request);
    const presented = request.headers['x-csrf-token'] ?? (request.body as Record<string, unknown> | undefined)?.['_csrf'];
    if (!UiSessions.csrfMatches(session(response), presented)) throw new HttpError('FALX_ERR_CSRF');
    next();
  };
  router.post('/*path', forms, express.json({ limit: '64kb' }), checkCsrf);

  router.get(['/', ''], (_request: Request, response: Response) => response.redirect(303, '/ui/events'));
  router.post('/logout', (_request: Request, response: Response) => {
    response.set('Set-Cookie', cookie('', 0)).redirect(303, '/ui/login');
  });

  router.get('/events', async (request: Request, response: Response) => {
    const now = deps.clock.now();
    const search = readEventSearch(request.query, now);
    const before = request.query['before'] === undefined ? undefined : Number(request.query['before']);
    const bucketMs = bucketSize(search.from, search.to);
    const [results, counts, latest] = await Promise.all([
      searchEvents(deps.store, search, pageSize, Number.isSafeInteger(before) ? before : undefined),
      deps.store.countEvents({ ...search.filter, since: search.from, until: search.to }, bucketMs),
      deps.store.listEvents({}, { limit: 1 }),
    ]);
    html(response, 200, eventsPage(context(response), search, results, counts, bucketMs, latest[0]?.id ?? 0));
  });
  router.get('/events/feed', async (request: Request, response: Response) => {
    const search = readEventSearch(request.query, deps.clock.now());
    const after = Number(request.query['after']);
    if (!Number.isSafeInteger(after)) throw new HttpError('FALX_ERR_BAD_QUERY', { detail: 'after must be an event id.' });
    const { events, cursor } = await newEvents(deps.store, search, after, 200);
    response.json({ events: events.map((stored) => eventRow(stored)), cursor });
  });
  router.get('/events/:id', async (request: Request, response: Response) => {
    const id = Number(request.params['id']);
    const stored = Number.isSafeInteger(id) ? await deps.store.eventById(id) : undefined;
    if (stored === undefined) throw new HttpError('FALX_ERR_NOT_FOUND', { method: 'GET', path: '/ui/events/…' });
    html(response, 200, eventPage(context(response), stored, readEvent(stored), deps.routes, await deps.store.deliveriesOfEvent(id)));
  });

  router.get('/groups', async (_request: Request, response: Response) => {
    const groups = (await deps.store.listGroups()).sort((a, b) => b.lastSeen - a.lastSeen || a.id - b.id).slice(0, 500);
    const threads = await deps.store.threads(groups.map((group) => `${group.id}:${group.epoch}`));
    html(response, 200, groupsPage(context(response), groups, threads, deps.routeLabel));
  });

  const showDeliveries = async (request: Request, response: Response, given?: string): Promise<void> => {
    const retried = Number(request.query['retried']);
    const notice = given ?? (Number.isSafeInteger(retried) ? `${retried} dead deliver${retried === 1 ? 'y' : 'ies'} queued again.` : undefined);
    const stateText = request.query['state'];
    const state = deliveryStates.find((each) => each === stateText);
    const before = Number(request.query['before']);
    const [deliveries, counts] = await Promise.all([deps.store.listDeliveries(state, pageSize + 1, Number.isSafeInteger(before) ? before : undefined), deps.store.queueCounts()]);
    const shown = deliveries.slice(0, pageSize);
    html(response, 200, deliveriesPage(context(response), state, shown, deliveries.length > pageSize ? shown[shown.length - 1]?.id : undefined, counts, notice));
  };
  router.get('/deliveries', (request: Request, response: Response) => showDeliveries(request, response));
  router.post('/deliveries/retry-dead', async (_request: Request, response: Response) => {
    const count = await deps.store.retryAllDead(deps.clock.now());
    deps.logger.log('info', 'dead deliveries queued again', { count, by: session(response).identity });
    if (count > 0) deps.onRetry();
    response.redirect(303, `/ui/deliveries?state=pending&retried=${count}`);
  });
  router.post('/deliveries/:id/retry', async (request: Request, response: Response) => {
    const id = Number(request.params['id']);
    const outcome = Number.isSafeInteger(id) ? await deps.store.retryDead(id, deps.clock.now()) : 'not-found';
    if (outcome === 'retried') {
      deps.logger.log('info', 'dead delivery queued again', { delivery: id, by: session(response).identity });
      deps.onRetry();
    }
    const notice = outcome === 'retried' ? `Delivery ${id} is queued again.` : outcome === 'not-found' ? `No delivery ${id}.` : `Delivery ${id} is ${outcome}; only dead deliveries can be retried.`;
    await showDeliveries(request, response, notice);
  });

  const showSilences = async (response: Response, form: SilenceForm, problems: readonly string[], status = 200, notice?: string): Promise<void> => {
    html(response, status, silencesPage(context(response), deps.silences.list(), await deps.store.mutedCounts('silence'), deps.clock.now(), form, problems, notice));
  };
  const emptyForm: SilenceForm = { condition: '', duration: '2h', comment: '', author: '' };
  router.get('/silences', (_request: Request, response: Response) => showSilences(response, emptyForm, []));
  router.post('/silences', async (request: Request, response: Response) => {
    const form: SilenceForm = { condition: field(request, 'condition'), duration: field(request, 'duration'), comment: field(request, 'comment'), author: field(request, 'author') };
    let created;
    try {
      created = newSilence({ condition: form.condition, duration: form.duration, comment: form.comment, createdBy: form.author.trim() || session(response).identity }, { now: deps.clock.now(), maxSilenceMs: deps.limits.maxSilenceMs, newUuid: deps.newUuid });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      await showSilences(response, form, [error.message], 400);
      return;
    }
    await deps.store.createSilence(created.silence);
    deps.silences.put(created.silence, created.matches);
    deps.logger.log('info', 'silence created', { silence: created.silence.id, by: session(response).identity, created_by: created.silence.createdBy, ends_at: new Date(created.silence.endsAt).toISOString() });
    response.redirect(303, '/ui/silences');
  });
  router.post('/silences/check', async (request: Request, response: Response) => {
    const condition = field(request, 'condition');
    const compiled = compileSilenceCondition(condition);
    if (!compiled.ok) {
      response.json({ ok: false, diagnostics: compiled.diagnostics.map((d) => ({ code: d.code, message: d.message, line: d.span?.start.line, column: d.span?.start.column, text: conditionDiagnosticText(d) })) });
      return;
    }
    // Which recent events it would have muted: the newest ones, a bounded number.
    const recent = await deps.store.listEvents({}, { limit: previewEvents });
    const matching = recent.filter((stored) => compiled.matches(toMatchEvent(readEvent(stored))));
    response.json({ ok: true, diagnostics: [], preview: { checked: recent.length, matched: matching.length, events: matching.slice(0, 20).map((stored) => eventRow(stored)) } });
  });
  router.post('/silences/:id/expire', async (request: Request, response: Response) => {
    const id = String(request.params['id']);
    const silence = await deps.store.expireSilence(id, deps.clock.now());
    if (silence !== undefined) {
      deps.silences.apply([silence]);
      deps.logger.log('info', 'silence expired', { silence: id, by: session(response).identity });
    }
    await showSilences(response, emptyForm, silence === undefined ? [`No silence ${id}.`] : [], silence === undefined ? 404 : 200, silence === undefined ? undefined : `Silence ${id} expired.`);
  });

  router.get('/route-test', (_request: Request, response: Response) => html(response, 200, routeTestPage(context(response), '', [], undefined)));
  router.post('/route-test', (request: Request, response: Response) => {
    const text = field(request, 'event');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      html(response, 400, routeTestPage(context(response), text, [`The event is not valid JSON: ${error instanceof Error ? error.message : String(error)}`], undefined));
      return;
    }
    const now = deps.clock.now();
    const validated = validateEvent(parsed, () => 'route-test', now);
    if (!validated.ok) {
      html(response, 400, routeTestPage(context(response), text, [validated.problem.message], undefined));
      return;
    }
    const fields = toMatchEvent(validated.event);
    const silencedBy = deps.silences.match(fields, now);
    const result: RouteTestResult = { event: validated.event, trace: traceRoutes(deps.routes, fields), ...(silencedBy !== undefined ? { silencedBy } : {}) };
    html(response, 200, routeTestPage(context(response), text, [], result));
  });
  return router;
}
