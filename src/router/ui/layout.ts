/**
 * The page shell: navigation, the CSRF token for the page's script, and the one stylesheet and
 * script (files, never inline: the Content-Security-Policy forbids inline code).
 */
import { html, type HtmlValue, type SafeHtml } from './html.ts';

export type Section = 'events' | 'groups' | 'deliveries' | 'silences' | 'route-test' | 'login';

/** What every page of a session knows. */
export interface PageContext {
  readonly identity: string;
  readonly csrf: string;
}

const sections: readonly [Section, string, string][] = [
  ['events', 'Events', '/ui/events'],
  ['groups', 'Groups', '/ui/groups'],
  ['deliveries', 'Deliveries', '/ui/deliveries'],
  ['silences', 'Silences', '/ui/silences'],
  ['route-test', 'Route test', '/ui/route-test'],
];

export function layout(title: string, section: Section, context: PageContext | undefined, body: HtmlValue): string {
  const nav: SafeHtml | string =
    context === undefined
      ? ''
      : html`<nav><span class="brand">falx</span>${sections.map(([key, label, href]) => html`<a href="${href}"${key === section ? html` aria-current="page"` : ''}>${label}</a>`)}
<form method="post" action="/ui/logout" class="logout"><input type="hidden" name="_csrf" value="${context.csrf}"><span class="who">${context.identity}</span><button type="submit">Log out</button></form></nav>`;
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · falx</title>${context === undefined ? '' : html`<meta name="csrf-token" content="${context.csrf}">`}
<link rel="stylesheet" href="/ui/static/app.css"><script src="/ui/static/app.js" defer></script></head>
<body data-page="${section}">${nav}<main><h1>${title}</h1>${body}</main></body></html>`}`;
}

/** A form's hidden CSRF field. */
export function csrfField(context: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${context.csrf}">`;
}

/** A list of problems above a form. */
export function problemList(problems: readonly string[]): SafeHtml | '' {
  return problems.length === 0 ? '' : html`<ul class="problems" role="alert">${problems.map((problem) => html`<li>${problem}</li>`)}</ul>`;
}

/** A time for a table cell. */
export function when(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
