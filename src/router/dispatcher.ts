/**
 * The dispatcher: an accepted event goes through the route tree, then, inside the transaction
 * that stores it, through the mute stage (silences, inhibition) and the grouping stage. Each
 * receiver the matched routes reach is notified once, by the first of them that lists it
 * (`receiversOf`): if that route groups, the event counts in the route's group for that receiver
 * (`grouping.ts`), which notifies later; otherwise one notification is planned at once.
 */
import { createHash } from 'node:crypto';
import type { RouteConfig } from './config.ts';
import { toMatchEvent, serializeEvent, type FalcoEvent } from './event.ts';
import type { Aggregator } from './noise/grouping.ts';
import type { RouterMetrics } from './metrics.ts';
import type { MuteReason, MuteStage } from './noise/mute.ts';
import type { Outbox, PlannedDelivery } from './store/sqlite/outbox.ts';
import { matchRoutes, receiversOf, type ReceiverAssignment } from './route-tree.ts';

/**
 * One notification per event and receiver, for receivers whose notifying route does not group.
 * The idempotency key names the event, route and receiver, so a re-posted event (same uuid) is
 * not delivered twice.
 */
export function perEventDeliveries(event: FalcoEvent, assignments: readonly ReceiverAssignment[]): PlannedDelivery[] {
  return assignments.map(({ receiver, route }) => ({ receiver, route: route.path, idempotencyKey: `${event.uuid}/${route.path}/${receiver}` }));
}

/** The receivers each grouping route notifies for one event, in route order. */
function byRoute(assignments: readonly ReceiverAssignment[]): Map<RouteConfig, string[]> {
  const routes = new Map<RouteConfig, string[]>();
  for (const { receiver, route } of assignments) routes.set(route, [...(routes.get(route) ?? []), receiver]);
  return routes;
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
  /** Routes that counted the event in a group (for at least one receiver). */
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
    const assignments = receiversOf(routes);
    const groups = (assignment: ReceiverAssignment): boolean => this.aggregator !== undefined && assignment.route.grouping.enabled;
    const grouped = byRoute(assignments.filter(groups));
    const immediate = assignments.filter((assignment) => !groups(assignment));
    let muted: MuteReason | undefined;
    const result = await this.outbox.accept(event.uuid, receivedAt, json, (eventId) => {
      muted = this.mute?.decide(eventId, event, fields, receivedAt);
      if (muted !== undefined) return [];
      for (const [route, receivers] of grouped) this.aggregator?.add(eventId, event, json, route, receivers, receivedAt);
      return perEventDeliveries(event, immediate);
    }, fingerprint ?? eventFingerprint(json));
    if (!result.duplicate) {
      for (const route of routes) this.metrics.routed.inc({ route: route.label });
      this.metrics.received.inc({ priority: event.priority });
    }
    if (result.deliveries > 0) this.onStored();
    return { routes, deliveries: result.deliveries, grouped: muted === undefined ? grouped.size : 0, ...(muted !== undefined ? { muted } : {}), duplicate: result.duplicate, conflict: result.conflict };
  }
}
