/**
 * The silences page: every silence with its state and the events it muted; a form to create one
 * whose condition is checked as it is typed (the same diagnostics as the CLI) with a preview of
 * the recent events it would have muted; expire.
 */
import { silenceState, type Silence } from '../../noise/silences.ts';
import { html } from '../html.ts';
import { csrfField, layout, problemList, when, type PageContext } from '../layout.ts';

/** What the create form was sent with, to show it again with its problems. */
export interface SilenceForm {
  readonly condition: string;
  readonly duration: string;
  readonly comment: string;
  readonly author: string;
}

export function silencesPage(context: PageContext, silences: readonly Silence[], muted: ReadonlyMap<string, number>, now: number, form: SilenceForm, problems: readonly string[], notice?: string): string {
  const sorted = [...silences].sort((a, b) => b.createdAt - a.createdAt);
  const body = html`${notice === undefined ? '' : html`<p class="notice" role="status">${notice}</p>`}
<section class="create"><h2>New silence</h2>${problemList(problems)}
<form method="post" action="/ui/silences" id="silence-form">${csrfField(context)}
<label class="wide">Condition <textarea name="condition" id="silence-condition" rows="3" required spellcheck="false">${form.condition}</textarea></label>
<div id="silence-check" class="check" aria-live="polite"></div>
<label>Duration <input name="duration" value="${form.duration}" placeholder="2h" required></label>
<label class="wide">Comment <input name="comment" value="${form.comment}" required placeholder="why, and a ticket"></label>
<label>Author <input name="author" value="${form.author}" placeholder="${context.identity}"></label>
<button type="submit">Create silence</button></form>
<div id="silence-preview" class="preview"></div></section>
<h2>Silences</h2>
${sorted.length === 0 ? html`<p class="empty">No silences.</p>` : html`<table class="silences"><thead><tr><th>State</th><th>Condition</th><th>Starts</th><th>Ends</th><th>Muted</th><th>By</th><th>Comment</th><th></th></tr></thead><tbody>
${sorted.map((silence) => {
  const state = silenceState(silence, now);
  return html`<tr data-silence="${silence.id}"><td class="state-${state}">${state}</td><td><code>${silence.condition}</code></td><td class="time">${when(silence.startsAt)}</td><td class="time">${when(silence.endsAt)}</td>
<td class="num">${muted.get(silence.id) ?? 0}</td><td>${silence.createdBy}</td><td>${silence.comment}</td>
<td>${state === 'expired' ? '' : html`<form method="post" action="/ui/silences/${silence.id}/expire">${csrfField(context)}<button type="submit">Expire</button></form>`}</td></tr>`;
})}</tbody></table>`}`;
  return layout('Silences', 'silences', context, body);
}
