/** The events page (filters, chart, counts per rule, the newest events, updated live) and an event's page. */
import type { RouteConfig } from '../../config.ts';
import { toMatchEvent, type FalcoEvent } from '../../event.ts';
import { priorities } from '../../priority.ts';
import { receiversOf, traceRoutes } from '../../route-tree.ts';
import type { DeliveryRecord, EventCounts, StoredEvent } from '../../store/store.ts';
import { eventChart } from '../chart.ts';
import { ranges, type EventResults, type EventSearch } from '../event-search.ts';
import { eventRow, type EventRow } from '../event-view.ts';
import { html, query, type SafeHtml } from '../html.ts';
import { layout, problemList, when, type PageContext } from '../layout.ts';

function searchForm(search: EventSearch): SafeHtml {
  const { form } = search;
  const text = (name: keyof EventSearch['form'], label: string, placeholder = ''): SafeHtml =>
    html`<label>${label} <input name="${name}" value="${form[name]}" placeholder="${placeholder}"></label>`;
  return html`<form method="get" action="/ui/events" class="filters" id="event-filters">
${text('rule', 'Rule')}
<label>Priority <select name="priority"><option value="">any</option>${priorities.map((priority) => html`<option${form.priority === priority ? html` selected` : ''}>${priority}</option>`)}</select></label>
${text('namespace', 'Namespace')}${text('hostname', 'Host')}
<label>Last <select name="range">${ranges.map((range) => html`<option${form.range === range ? html` selected` : ''}>${range}</option>`)}</select></label>
${text('since', 'Since', '2026-12-04T08:00:00Z')}${text('until', 'Until')}
<label class="wide">Condition <input name="condition" value="${form.condition}" placeholder="proc.name = bash and k8s.ns.name startswith prod"></label>
<button type="submit">Filter</button> <a href="/ui/events">Clear</a></form>`;
}

/** The query string of a search, to keep it in links. */
export function searchQuery(search: EventSearch, extra: Readonly<Record<string, string | number | undefined>> = {}): string {
  return query({ ...search.form, range: search.form.range === '24h' ? undefined : search.form.range, ...extra });
}

export function eventRowHtml(row: EventRow): SafeHtml {
  return html`<tr data-id="${row.id}"><td class="time">${row.receivedAt}</td><td><span class="priority p-${row.priority}">${row.priority}</span></td>
<td><a href="/ui/events/${row.id}">${row.rule}</a></td><td>${row.hostname}</td><td>${row.namespace}</td><td class="output">${row.message}</td><td>${row.muted}</td></tr>`;
}

export function eventsPage(context: PageContext, search: EventSearch, results: EventResults, counts: EventCounts, bucketMs: number, latestId: number): string {
  const rows = results.events.map((stored) => eventRow(stored));
  const ruleCounts = counts.rules.length === 0 ? '' : html`<table class="rule-counts"><caption>Events per rule</caption><tbody>${counts.rules.map((row) => html`<tr><td><a href="/ui/events${searchQuery(search, { rule: row.rule })}">${row.rule}</a></td><td class="num">${Number(row.count)}</td></tr>`)}</tbody></table>`;
  const scanned = search.condition === undefined ? '' : html`<p class="note">The condition was evaluated on ${results.scanned} event${results.scanned === 1 ? '' : 's'} for this page.</p>`;
  const body = html`${searchForm(search)}${problemList(search.problems)}
<section class="overview">${eventChart(counts, search.from, search.to, bucketMs)}${ruleCounts}</section>
<p class="live" id="live" data-after="${latestId}" data-query="${searchQuery(search)}">Live: new events appear at the top.</p>${scanned}
<table class="events"><thead><tr><th>Received</th><th>Priority</th><th>Rule</th><th>Host</th><th>Namespace</th><th>Output</th><th>Muted</th></tr></thead>
<tbody id="event-rows">${rows.map(eventRowHtml)}</tbody></table>
${rows.length === 0 ? html`<p class="empty">No events match.</p>` : ''}
${results.next !== undefined ? html`<p><a class="next" href="/ui/events${searchQuery(search, { before: results.next })}">Older events</a></p>` : ''}`;
  return layout('Events', 'events', context, body);
}

function routePath(root: RouteConfig, event: FalcoEvent): SafeHtml {
  const trace = traceRoutes(root, toMatchEvent(event));
  const steps = trace.steps.filter((step) => step.tried);
  return html`<ol class="route-path">${steps.map(
    (step) =>
      html`<li class="${step.matched ? (step.final ? 'final' : 'matched') : 'unmatched'}">${'  '.repeat(step.depth)}${step.route.label}: ${step.matched ? (step.final ? 'matched, delivers' : 'matched') : 'no match'}${step.route.match ? html` <code>${step.route.match.text}</code>` : ''}</li>`,
  )}</ol><p>Receivers: ${receiversOf(trace.finals).map((assignment) => assignment.receiver).join(', ') || 'none'}</p>`;
}

export function deliveryRows(deliveries: readonly DeliveryRecord[], context: PageContext | undefined): SafeHtml {
  return html`<table class="deliveries"><thead><tr><th>Id</th><th>State</th><th>Receiver</th><th>Route</th><th>Rule</th><th>Attempts</th><th>Last error</th><th>Updated</th><th></th></tr></thead><tbody>
${deliveries.map(
  (delivery) => html`<tr data-delivery="${delivery.id}"><td>${delivery.id}</td><td class="state-${delivery.state}">${delivery.state}</td><td>${delivery.receiver}</td><td>${delivery.route}</td>
<td>${delivery.event.rule}</td><td class="num">${delivery.attempts}</td><td class="error">${delivery.lastError ?? ''}</td><td class="time">${delivery.updatedAt}</td>
<td>${delivery.state === 'dead' && context !== undefined ? html`<form method="post" action="/ui/deliveries/${delivery.id}/retry"><input type="hidden" name="_csrf" value="${context.csrf}"><button type="submit">Retry</button></form>` : ''}</td></tr>`,
)}</tbody></table>`;
}

export function eventPage(context: PageContext, stored: StoredEvent, event: FalcoEvent, root: RouteConfig, deliveries: readonly DeliveryRecord[]): string {
  const fields = Object.entries(event.outputFields).sort(([a], [b]) => a.localeCompare(b));
  const body = html`<dl class="event">
<dt>Rule</dt><dd>${event.rule}</dd><dt>Priority</dt><dd><span class="priority p-${event.priority}">${event.priority}</span></dd>
<dt>Time</dt><dd>${event.time}</dd><dt>Received</dt><dd>${when(stored.receivedAt)}</dd><dt>Source</dt><dd>${event.source}</dd>
<dt>Host</dt><dd>${event.hostname}</dd><dt>Tags</dt><dd>${event.tags.join(', ')}</dd><dt>uuid</dt><dd>${event.uuid}</dd>
<dt>Muted</dt><dd>${stored.muted === undefined ? 'no' : `${stored.muted.kind === 'silence' ? 'by silence' : 'by inhibit rule'} ${stored.muted.ref}`}</dd></dl>
<h2>Output</h2><pre class="output">${event.output}</pre>
<h2>Output fields</h2><table class="fields"><tbody>${fields.map(([name, value]) => html`<tr><th>${name}</th><td>${value === null ? '<NA>' : Array.isArray(value) ? value.join(', ') : String(value)}</td></tr>`)}</tbody></table>
<h2>Route path</h2><p class="note">As the running configuration routes it now.</p>${routePath(root, event)}
<h2>Deliveries</h2>${deliveries.length === 0 ? html`<p class="empty">None: muted, grouped into a notification not planned yet, or pruned.</p>` : deliveryRows(deliveries, context)}`;
  return layout(`Event ${stored.id}`, 'events', context, body);
}
