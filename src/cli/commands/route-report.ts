/**
 * What `falx route test` prints: the walk of an event through the route tree (every route tried,
 * the first one skipped at each level, where the event is delivered and where the walk ended) and
 * the receivers it reaches, each once, with the route that notifies it and how (one message per
 * event or grouped). Pure: the caller writes the text.
 */
import type { FalcoEvent } from '../../router/event.ts';
import { deliveryMode, receiversOf, type RouteTrace, type RouteTraceStep } from '../../router/route-tree.ts';

function verdict(step: RouteTraceStep): string {
  if (!step.tried) return 'not tried';
  if (!step.matched) return 'no match';
  if (!step.final) return 'matched';
  return step.ends ? 'matched  -> delivers, ends here' : 'matched  -> delivers, continues';
}

/** The report as text. */
export function routeReportText(event: FalcoEvent, trace: RouteTrace): string {
  const lines = [`Event: rule "${event.rule}", priority ${event.priority}, source ${event.source}`, '', 'Routes tried:'];
  const name = (step: RouteTraceStep): string => `${'  '.repeat(step.depth)}${step.route.label}`;
  const nameWidth = Math.max(...trace.steps.map((step) => name(step).length));
  const verdictWidth = Math.max(...trace.steps.map((step) => verdict(step).length));
  for (const step of trace.steps) {
    const condition = step.route.match ? `  (${step.route.match.text.replace(/\s+/g, ' ').trim()})` : '';
    lines.push(`  ${name(step).padEnd(nameWidth)}  ${verdict(step).padEnd(condition === '' ? 0 : verdictWidth)}${condition}`.trimEnd());
  }
  lines.push('', `Delivered by: ${trace.finals.map((route) => route.label).join(', ')}`);
  const receivers = receiversOf(trace.finals);
  if (receivers.length === 0) {
    lines.push('Receivers: none', '');
    return lines.join('\n');
  }
  lines.push('Receivers (each notified once):');
  const receiverWidth = Math.max(...receivers.map(({ receiver }) => receiver.length));
  for (const { receiver, route, alsoVia } of receivers) {
    const also = alsoVia.length === 0 ? '' : `; also reached via ${alsoVia.map((other) => other.label).join(', ')}, not notified again`;
    lines.push(`  ${receiver.padEnd(receiverWidth)}  via ${route.label}, ${deliveryMode(route)}${also}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** The report as JSON (`--format json`). */
export function routeReportJson(event: FalcoEvent, trace: RouteTrace): unknown {
  return {
    event: { rule: event.rule, priority: event.priority, source: event.source },
    steps: trace.steps.map((step) => ({
      route: step.route.label,
      path: step.route.path,
      depth: step.depth,
      match: step.route.match?.text ?? null,
      tried: step.tried,
      matched: step.matched,
      final: step.final,
      ends: step.ends,
    })),
    routes: trace.finals.map((route) => route.label),
    receivers: receiversOf(trace.finals).map(({ receiver, route, alsoVia }) => ({
      receiver,
      route: route.label,
      path: route.path,
      grouped_by: route.grouping.enabled ? route.grouping.groupBy : null,
      also_via: alsoVia.map((other) => other.label),
    })),
  };
}
