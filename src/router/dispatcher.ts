/**
 * The dispatcher: an accepted event goes through the route tree, then, inside the transaction
 * that stores it, through the mute stage (silences, inhibition) and the grouping stage. Routes
 * with grouping on count the event in an aggregation group (`grouping.ts`), which notifies
 * later; routes without plan one notification per event and receiver, at once.
 */
import { createHash } from 'node:crypto';
import type { RouteConfig } from './config.ts';
import { toMatchEvent, serializeEvent, type FalcoEvent } from './event.ts';
import type { Aggregator } from './grouping.ts';
import type { RouterMetrics } from './metrics.ts';
import type { MuteReason, MuteStage } from './mute.ts';
import type { Outbox, PlannedDelivery } from './outbox.ts';
import { matchRoutes, receiversOf } from './route-tree.ts';

/**
 * One notification per event and receiver, for routes without grouping. A receiver reached by
 * several routes (`continue`) is notified once. The idempotency key names the event, route and
 * receiver, so a re-posted event (same uuid) is not delivered twice.
 */
export function perEventDeliveries(event: FalcoEvent, routes: readonly RouteConfig[]): PlannedDelivery[] {
  return receiversOf(routes).map(({ receiver, route }) => ({ receiver, route: route.path, idempotencyKey: `${event.uuid}/${route.path}/${receiver}` }));
}

/** A hash of an event body: equal for a re-post of the same event, different for another event. */
export function eventFingerprint(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** What happened to an accepted event. */
export interface DispatchResult {
  readonly routes: readonly RouteConfig[];
  /** Notifications planned now for this event (grouped routes notify later). */
  readonly deliveries: number;
  /** Routes that counted the event in a group. */
  readonly grouped: number;
  readonly muted?: MuteReason;
  /** The uuid was already stored: acknowledged, not stored or counted again. */
  readonly duplicate: boolean;
  /** The uuid was already stored for a different body: refused, nothing stored. */
  readonly conflict: boolean;
}

export class Dispatcher {
  constructor(
    private readonly root: RouteConfig,
    private readonly outbox: Outbox,
    private readonly metrics: RouterMetrics,
    private readonly mute: MuteStage | undefined,
    private readonly aggregator: Aggregator | undefined,
    private readonly onStored: () => void,
  ) {}

  /**
   * Routes and stores an event; resolves once it is durable. `fingerprint` identifies the body as
   * received (see `eventFingerprint`); by default the stored form.
   */
  async dispatch(event: FalcoEvent, receivedAt: number, fingerprint?: string): Promise<DispatchResult> {
    const fields = toMatchEvent(event);
    const routes = matchRoutes(this.root, fields);
    const json = serializeEvent(event);
    const grouped = this.aggregator === undefined ? [] : routes.filter((route) => route.grouping.enabled);
    const immediate = grouped.length === 0 ? routes : routes.filter((route) => !route.grouping.enabled);
    let muted: MuteReason | undefined;
    const result = await this.outbox.accept(event.uuid, receivedAt, json, (eventId) => {
      muted = this.mute?.decide(eventId, event, fields, receivedAt);
      if (muted !== undefined) return [];
      for (const route of grouped) this.aggregator?.add(eventId, event, json, route, receivedAt);
      return perEventDeliveries(event, immediate);
    }, fingerprint ?? eventFingerprint(json));
    if (!result.duplicate) {
      for (const route of routes) this.metrics.routed.inc({ route: route.label });
      this.metrics.received.inc({ priority: event.priority });
    }
    if (result.deliveries > 0) this.onStored();
    return { routes, deliveries: result.deliveries, grouped: muted === undefined ? grouped.length : 0, ...(muted !== undefined ? { muted } : {}), duplicate: result.duplicate, conflict: result.conflict };
  }
}
