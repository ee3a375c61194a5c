/**
 * The routing tree, with Alertmanager's semantics: a route matches when its condition holds (the
 * root always does); its children are tried depth-first in order and the first that matches wins,
 * unless it says `continue: true`; if no child matches, the route itself is the match. Unlike
 * Alertmanager, a receiver that several matched routes list is notified once per event
 * (`receiversOf`).
 */
import type { EventFields } from '../evaluate/event.ts';
import type { RouteConfig } from './config.ts';

/** The routes an event ends at, in order. Each carries its receivers and options. */
export function matchRoutes(route: RouteConfig, event: EventFields): RouteConfig[] {
  if (route.match !== undefined && !route.match.matches(event)) return [];
  const matched: RouteConfig[] = [];
  for (const child of route.routes) {
    const found = matchRoutes(child, event);
    matched.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return matched.length > 0 ? matched : [route];
}

/** One step of a route test: a route of the walk and what happened there. */
export interface RouteTraceStep {
  readonly route: RouteConfig;
  readonly depth: number;
  /** Whether the walk got to the route (false: an earlier sibling took the event and had no `continue`). */
  readonly tried: boolean;
  readonly matched: boolean;
  /** The event is delivered here: the route matched and none of its children did. */
  readonly final: boolean;
  /** The walk ended here: the route delivers and no route after it was tried. */
  readonly ends: boolean;
}

/** The walk of an event through the tree, for `falx route test`. */
export interface RouteTrace {
  /** Every route the walk tried, in order, and the first route it skipped at each level. */
  readonly steps: readonly RouteTraceStep[];
  /** The routes the event ends at: exactly `matchRoutes`. */
  readonly finals: readonly RouteConfig[];
}

/** Traces an event's walk through the tree. Follows `matchRoutes` exactly. */
export function traceRoutes(root: RouteConfig, event: EventFields): RouteTrace {
  const steps: RouteTraceStep[] = [];
  const finals = walk(root, event, 0, steps);
  steps.forEach((step, index) => {
    if (!step.final) return;
    // The route's subtree (its children were tried before it was known to deliver) is the steps after it that are deeper.
    const after = steps.findIndex((other, later) => later > index && other.depth <= step.depth);
    if (after === -1 || !steps.slice(after).some((other) => other.tried)) steps[index] = { ...step, ends: true };
  });
  return { steps, finals };
}

function walk(route: RouteConfig, event: EventFields, depth: number, steps: RouteTraceStep[]): RouteConfig[] {
  const at = steps.length;
  const matched = route.match === undefined || route.match.matches(event);
  steps.push({ route, depth, tried: true, matched, final: false, ends: false });
  if (!matched) return [];
  const finals: RouteConfig[] = [];
  let stopped = false;
  for (const child of route.routes) {
    if (stopped) {
      steps.push({ route: child, depth: depth + 1, tried: false, matched: false, final: false, ends: false });
      continue;
    }
    const found = walk(child, event, depth + 1, steps);
    finals.push(...found);
    if (found.length > 0 && !child.continue) stopped = true;
  }
  if (finals.length > 0) return finals;
  steps[at] = { route, depth, tried: true, matched, final: true, ends: false };
  return [route];
}

/**
 * Who notifies a receiver for one event. An event reaches a receiver once, whatever the routes:
 * the first matched route (in walk order) that lists it notifies it, with that route's grouping;
 * later matched routes that list it too are `alsoVia` and notify it no second time.
 */
export interface ReceiverAssignment {
  readonly receiver: string;
  readonly route: RouteConfig;
  readonly alsoVia: readonly RouteConfig[];
}

/** The distinct receivers the matched routes reach, each with the route that notifies it. */
export function receiversOf(routes: readonly RouteConfig[]): ReceiverAssignment[] {
  const seen = new Map<string, { route: RouteConfig; alsoVia: RouteConfig[] }>();
  for (const route of routes) {
    for (const receiver of route.receivers) {
      const known = seen.get(receiver);
      if (known === undefined) seen.set(receiver, { route, alsoVia: [] });
      else if (known.route !== route && !known.alsoVia.includes(route)) known.alsoVia.push(route);
    }
  }
  return [...seen].map(([receiver, { route, alsoVia }]) => ({ receiver, route, alsoVia }));
}

/** How a route notifies its receivers, in words: per event or grouped by what. */
export function deliveryMode(route: RouteConfig): string {
  if (!route.grouping.enabled) return 'one message per event';
  return route.grouping.groupBy.length === 0 ? 'grouped (all its events in one group)' : `grouped by ${route.grouping.groupBy.join(', ')}`;
}
