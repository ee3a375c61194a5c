/** The route tester: paste an event, see the walk through the route tree, the receivers and whether a silence would mute it. */
import type { FalcoEvent } from '../../event.ts';
import type { Silence } from '../../noise/silences.ts';
import { deliveryMode, receiversOf, type RouteTrace } from '../../route-tree.ts';
import { html } from '../html.ts';
import { csrfField, layout, problemList, type PageContext } from '../layout.ts';

export interface RouteTestResult {
  readonly event: FalcoEvent;
  readonly trace: RouteTrace;
  readonly silencedBy?: Silence;
}

export function routeTestPage(context: PageContext, eventText: string, problems: readonly string[], result: RouteTestResult | undefined): string {
  const outcome =
    result === undefined
      ? ''
      : html`<section class="route-result"><h2>Walk</h2><ol class="route-path">${result.trace.steps.map(
          (step) =>
            html`<li class="${!step.tried ? 'untried' : step.matched ? (step.final ? 'final' : 'matched') : 'unmatched'}">${step.route.label}: ${!step.tried ? 'not tried' : !step.matched ? 'no match' : step.final ? (step.ends ? 'matched, delivers, ends here' : 'matched, delivers, continues') : 'matched'}${step.route.match ? html` <code>${step.route.match.text}</code>` : ''}</li>`,
        )}</ol>
<h2>Receivers</h2>${(() => {
          const receivers = receiversOf(result.trace.finals);
          return receivers.length === 0 ? html`<p>None.</p>` : html`<ul class="receivers">${receivers.map((assignment) => html`<li>${assignment.receiver} via ${assignment.route.label}, ${deliveryMode(assignment.route)}</li>`)}</ul>`;
        })()}
<h2>Muted</h2><p id="muted">${result.silencedBy === undefined ? 'No active silence matches it.' : html`Yes, by silence ${result.silencedBy.id}: <code>${result.silencedBy.condition}</code>`}</p>
<p class="note">Inhibition depends on the events seen before, so it is not shown here.</p></section>`;
  const body = html`<form method="post" action="/ui/route-test">${csrfField(context)}
<label class="wide">Event (Falco or Falcosidekick JSON) <textarea name="event" rows="12" required spellcheck="false">${eventText}</textarea></label>
<button type="submit">Test</button></form>${problemList(problems)}${outcome}`;
  return layout('Route test', 'route-test', context, body);
}
