/**
 * The dispatcher: an accepted event goes through the route tree, the replica's silences and the
 * inhibit rules, and is handed to the store with what that decided; the store records it, mutes
 * it or counts it in its groups, and plans its deliveries in one transaction. Each receiver the
 * matched routes reach is notified once, by the first of them that lists it (`receiversOf`): if
 * that route groups, the event counts in the route's group for that receiver
 * (`noise/group-transitions.ts`), which notifies later; otherwise one notification is planned at once.
 */
import { createHash } from 'node:crypto';
import type { RouteConfig } from './config.ts';
import { toMatchEvent, serializeEvent, type FalcoEvent } from './event.ts';
import type { RouterMetrics } from './metrics.ts';
import { inhibitionOf, type InhibitRuleConfig } from './noise/inhibition.ts';
import type { SilenceCache } from './noise/silences.ts';
import { matchRoutes, receiversOf, type ReceiverAssignment } from './route-tree.ts';
import type { GroupedEvent, MuteReason, PlannedDelivery, RouterStore } from './store/store.ts';
import { lookup, stripOutputPrefix } from './template.ts';

/**
 * One notification per event and receiver, for receivers whose notifying route does not group.
 * The idempotency key names the event, route and receiver, so a re-posted event (same uuid) is
 * not delivered twice.
 */
export function perEventDeliveries(event: FalcoEvent, assignments: readonly ReceiverAssignment[]): PlannedDelivery[] {
  return assignments.map(({ receiver, route }) => ({ receiver, route: route.path, idempotencyKey: `${event.uuid}/${route.path}/${receiver}` }));
}

/**
 * The groups an event counts in: one per grouping route, its `group_by` values and receiver (a
 * receiver an earlier matched route already notifies is not among them), so each receiver's
 * thread counts exactly the events it was sent through that route.
 */
export function groupShares(event: FalcoEvent, assignments: readonly ReceiverAssignment[]): GroupedEvent[] {
  if (assignments.length === 0) return [];
  const signature = stripOutputPrefix(event.message ?? event.output);
  return assignments.map(({ receiver, route }) => {
    const labels: Record<string, string> = {};
    for (const name of route.grouping.groupBy) labels[name] = lookup(event, name);
    const labelKey = JSON.stringify(route.grouping.groupBy.map((name) => labels[name]));
    return { key: `${route.path}\u0000${labelKey}\u0000${receiver}`, route: route.path, routeLabel: route.label, labels, receiver, options: route.grouping, signature };
  });
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

export interface DispatcherOptions {
  readonly root: RouteConfig;
  readonly store: Pick<RouterStore, 'accept'>;
  readonly metrics: RouterMetrics;
  readonly silences: SilenceCache;
  readonly inhibitRules: readonly InhibitRuleConfig[];
  /** False: no route groups (every receiver is notified per event). */
  readonly grouping: boolean;
  /** Deliveries were planned: wake the worker. */
  readonly onStored: () => void;
  /** An event made a group due at `at`: arm the group timer. */
  readonly onGroupDue: (at: number) => void;
}

export class Dispatcher {
  constructor(private readonly options: DispatcherOptions) {}

  /**
   * Routes and stores an event; resolves once it is durable. `fingerprint` identifies the body as
   * received (see `eventFingerprint`); by default the stored form.
   */
  async dispatch(event: FalcoEvent, receivedAt: number, fingerprint?: string): Promise<DispatchResult> {
    const { metrics } = this.options;
    const fields = toMatchEvent(event);
    const routes = matchRoutes(this.options.root, fields);
    const json = serializeEvent(event);
    const assignments = receiversOf(routes);
    const groups = (assignment: ReceiverAssignment): boolean => this.options.grouping && assignment.route.grouping.enabled;
    const grouped = assignments.filter(groups);
    const groupedRoutes = new Set(grouped.map((assignment) => assignment.route));
    const silence = this.options.silences.match(fields, receivedAt);
    const result = await this.options.store.accept({
      uuid: event.uuid,
      fingerprint: fingerprint ?? eventFingerprint(json),
      receivedAt,
      json,
      immediate: perEventDeliveries(event, assignments.filter((assignment) => !groups(assignment))),
      grouped: groupShares(event, grouped),
      ...(silence !== undefined ? { silencedBy: silence.id } : {}),
      inhibition: this.options.inhibitRules.length === 0 ? { sources: [], targets: [] } : inhibitionOf(this.options.inhibitRules, event, fields, receivedAt),
    });
    const { muted } = result;
    if (!result.duplicate) {
      for (const route of routes) metrics.routed.inc({ route: route.label });
      metrics.received.inc({ priority: event.priority });
      if (muted?.kind === 'silence') metrics.silenced.inc();
      else if (muted?.kind === 'inhibit') metrics.inhibited.inc({ rule: muted.ref });
      else for (const route of groupedRoutes) metrics.groupedEvents.inc({ route: route.label });
    }
    if (result.deliveries > 0) this.options.onStored();
    if (result.groupDueAt !== undefined) this.options.onGroupDue(result.groupDueAt);
    return { routes, deliveries: result.deliveries, grouped: muted === undefined ? groupedRoutes.size : 0, ...(muted !== undefined ? { muted } : {}), duplicate: result.duplicate, conflict: result.conflict };
  }
}
