/** The groups page: each aggregation group's counts, times, messages sent and its Slack thread. */
import type { GroupRecord, ThreadRecord } from '../../store/store.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout, when, type PageContext } from '../layout.ts';

/** A link to a Slack message (Slack redirects it to the workspace), when the thread is Slack's. */
function threadLink(thread: ThreadRecord): SafeHtml {
  const { channel, ts } = thread.ref;
  if (typeof channel === 'string' && typeof ts === 'string' && /^[A-Z0-9]+$/.test(channel) && /^\d+\.\d+$/.test(ts)) {
    return html`<a href="https://slack.com/archives/${channel}/p${ts.replace('.', '')}" rel="noreferrer noopener" target="_blank">${thread.receiver}: thread</a>`;
  }
  return html`<span>${thread.receiver}: ${Object.entries(thread.ref).map(([key, value]) => `${key}=${value}`).join(' ')}</span>`;
}

export function groupsPage(context: PageContext, groups: readonly GroupRecord[], threads: readonly ThreadRecord[], routeLabel: (path: string) => string): string {
  const byKey = new Map<string, ThreadRecord[]>();
  for (const thread of threads) byKey.set(thread.threadKey, [...(byKey.get(thread.threadKey) ?? []), thread]);
  const body =
    groups.length === 0
      ? html`<p class="empty">No aggregation groups: no grouping route has seen an event (or they were retired after a quiet spell).</p>`
      : html`<table class="groups"><thead><tr><th>Route</th><th>Labels</th><th>Receivers</th><th>Events (thread)</th><th>Notified</th><th>Messages sent</th><th>First seen</th><th>Last seen</th><th>Next notification</th><th>Thread</th></tr></thead><tbody>
${groups.map((group) => {
  const labels = Object.entries(group.labels).map(([name, value]) => `${name}=${value}`).join(', ');
  return html`<tr><td>${routeLabel(group.route)}</td><td>${labels}</td><td>${group.receivers.join(', ')}</td><td class="num">${group.total}</td><td class="num">${group.notified}</td><td class="num">${group.sent}</td>
<td class="time">${when(group.firstSeen)}</td><td class="time">${when(group.lastSeen)}</td><td class="time">${when(group.nextFlushAt)}</td><td>${(byKey.get(`${group.id}:${group.epoch}`) ?? []).map(threadLink)}</td></tr>`;
})}</tbody></table>`;
  return layout('Groups', 'groups', context, body);
}
