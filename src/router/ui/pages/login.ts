/** The login form: an API token (kept only in a signed session cookie afterwards). */
import { html } from '../html.ts';
import { layout, problemList } from '../layout.ts';

export function loginPage(problems: readonly string[], next: string, tokenNeeded: boolean): string {
  const body = html`${problemList(problems)}<form method="post" action="/ui/login" class="login">
<input type="hidden" name="next" value="${next}">
${tokenNeeded ? html`<label>API token <input type="password" name="token" autocomplete="current-password" required autofocus></label>` : html`<p>This router needs no token (no credentials are configured, or your client certificate is accepted).</p>`}
<button type="submit">Log in</button></form>`;
  return layout('Log in', 'login', undefined, body);
}
