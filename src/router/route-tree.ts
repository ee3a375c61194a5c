/**
 * The routing tree, with Alertmanager's semantics: a route matches when its condition holds (the
 * root always does); its children are tried depth-first in order and the first that matches wins,
 * unless it says `continue: true`; if no child matches, the route itself is the match.
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

/** One step of a route test: a route that was tried and whether its condition held. */
export interface RouteTraceStep {
  readonly route: RouteConfig;
  readonly depth: number;
  readonly matched: boolean;
  /** Whether the event ends here (no child took it). */
  readonly final: boolean;
}

/** The routes tried for an event and their outcome, for `falx route test`. Follows `matchRoutes` exactly. */
export function traceRoutes(route: RouteConfig, event: EventFields, depth = 0): { steps: RouteTraceStep[]; finals: RouteConfig[] } {
  const matched = route.match === undefined || route.match.matches(event);
  if (!matched) return { steps: [{ route, depth, matched, final: false }], finals: [] };
  const steps: RouteTraceStep[] = [];
  const finals: RouteConfig[] = [];
  for (const child of route.routes) {
    const trace = traceRoutes(child, event, depth + 1);
    steps.push(...trace.steps);
    finals.push(...trace.finals);
    if (trace.finals.length > 0 && !child.continue) break;
  }
  const final = finals.length === 0;
  return { steps: [{ route, depth, matched, final }, ...steps], finals: final ? [route] : finals };
}

/** The distinct receivers the matched routes reach, each with the first route that reached it. */
export function receiversOf(routes: readonly RouteConfig[]): { receiver: string; route: RouteConfig }[] {
  const seen = new Map<string, RouteConfig>();
  for (const route of routes) for (const receiver of route.receivers) if (!seen.has(receiver)) seen.set(receiver, route);
  return [...seen].map(([receiver, route]) => ({ receiver, route }));
}
