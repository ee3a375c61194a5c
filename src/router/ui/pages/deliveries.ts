/** The deliveries page: pending, sent or dead, with the last error; retry one or every dead delivery. */
import type { DeliveryRecord, DeliveryState, QueueCount } from '../../store/store.ts';
import { html, query } from '../html.ts';
import { csrfField, layout, type PageContext } from '../layout.ts';
import { deliveryRows } from './events.ts';

export const deliveryStates: readonly DeliveryState[] = ['pending', 'dead', 'sent'];

export function deliveriesPage(context: PageContext, state: DeliveryState | undefined, deliveries: readonly DeliveryRecord[], next: number | undefined, counts: readonly QueueCount[], notice: string | undefined): string {
  const total = (wanted: DeliveryState): number => counts.filter((row) => row.state === wanted).reduce((sum, row) => sum + Number(row.count), 0);
  const tabs = html`<p class="tabs"><a href="/ui/deliveries"${state === undefined ? html` aria-current="page"` : ''}>all</a>${deliveryStates.map(
    (each) => html` <a href="/ui/deliveries?state=${each}"${state === each ? html` aria-current="page"` : ''}>${each} (${total(each)})</a>`,
  )}</p>`;
  const retryAll =
    total('dead') === 0 ? '' : html`<form method="post" action="/ui/deliveries/retry-dead" class="inline">${csrfField(context)}<button type="submit">Retry all ${total('dead')} dead</button></form>`;
  const body = html`${tabs}${notice === undefined ? '' : html`<p class="notice" role="status">${notice}</p>`}${retryAll}
${deliveries.length === 0 ? html`<p class="empty">No deliveries here.</p>` : deliveryRows(deliveries, context)}
${next === undefined ? '' : html`<p><a class="next" href="/ui/deliveries${query({ state, before: next })}">Older</a></p>`}`;
  return layout('Deliveries', 'deliveries', context, body);
}
