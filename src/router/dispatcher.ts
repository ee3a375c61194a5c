/**
 * The dispatcher: an accepted event goes through the route tree, the grouping stage turns the
 * matches into planned deliveries, and the outbox stores the event with them in one transaction.
 * The grouping stage is the seam where issue 7's aggregation groups plug in; today it plans one
 * notification per event and receiver.
 */
import type { RouteConfig } from './config.ts';
import { toMatchEvent, serializeEvent, type FalcoEvent } from './event.ts';
import type { RouterMetrics } from './metrics.ts';
import type { Outbox, PlannedDelivery } from './outbox.ts';
import { matchRoutes, receiversOf } from './route-tree.ts';

/** Turns an event's route matches into deliveries. */
export interface GroupingStage {
  plan(event: FalcoEvent, matches: readonly { receiver: string; route: RouteConfig }[]): PlannedDelivery[];
}

/**
 * One notification per event and receiver. A receiver reached by several routes (`continue`) is
 * notified once. The idempotency key names the event, route and receiver, so a re-posted event
 * (same uuid) is not delivered twice.
 */
export const perEventGrouping: GroupingStage = {
  plan: (event, matches) => matches.map(({ receiver, route }) => ({ receiver, route: route.path, idempotencyKey: `${event.uuid}/${route.path}/${receiver}` })),
};

/** What happened to an accepted event. */
export interface DispatchResult {
  readonly routes: readonly RouteConfig[];
  readonly deliveries: number;
}

export class Dispatcher {
  constructor(
    private readonly root: RouteConfig,
    private readonly grouping: GroupingStage,
    private readonly outbox: Outbox,
    private readonly metrics: RouterMetrics,
    private readonly onStored: () => void,
  ) {}

  /** Routes and stores an event; resolves once it is durable. */
  async dispatch(event: FalcoEvent, receivedAt: number): Promise<DispatchResult> {
    const routes = matchRoutes(this.root, toMatchEvent(event));
    const planned = this.grouping.plan(event, receiversOf(routes));
    const deliveries = await this.outbox.accept(event.uuid, receivedAt, serializeEvent(event), planned);
    for (const route of routes) this.metrics.routed.inc({ route: route.label });
    this.metrics.received.inc({ priority: event.priority });
    this.onStored();
    return { routes, deliveries };
  }
}
