/**
 * Helpers for driving the UI over real HTTP: log in with a token (the form post), keep the
 * session cookie and the page's CSRF token, and a hostile event whose values try every way into
 * a page (markup, an event handler, a right-to-left override, a zero-width space).
 */
import { falcoEvent } from '../support/router-process.ts';

export const uiConfig = `
listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: { env: INGEST_SECRET }
  tokens: [{ env: SIDEKICK_TOKEN }]
  api_tokens: [{ env: API_TOKEN }]
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route:
  receivers: [log]
  routes:
    - name: production
      match: k8s.ns.name startswith prod
      group_by: [k8s.ns.name]
      group_wait: 1s
`;

export const uiEnv = { INGEST_SECRET: 'ingest-path-secret', SIDEKICK_TOKEN: 'sidekick-token', API_TOKEN: 'api-token-for-the-ui' };

export interface UiSession {
  readonly cookie: string;
  readonly setCookie: string;
}

/** Logs in through the form; the session cookie, or undefined when refused. */
export async function logIn(url: string, token: string): Promise<UiSession | undefined> {
  const response = await fetch(`${url}/ui/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, next: '/ui/events' }) });
  const setCookie = response.headers.get('set-cookie');
  if (response.status !== 303 || setCookie === null) return undefined;
  return { cookie: setCookie.split(';')[0]!, setCookie };
}

/** The CSRF token a page carries for its forms and script. */
export function csrfOf(page: string): string {
  const match = /<meta name="csrf-token" content="([^"]+)">/.exec(page);
  if (match?.[1] === undefined) throw new Error('the page has no CSRF token');
  return match[1];
}

export const hostileText = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> \u202Egnp.exe\u200B';

/** An event whose every shown value is hostile. */
export function hostileEvent(): Record<string, unknown> {
  return falcoEvent(
    { rule: `Shell ${hostileText}`, hostname: `node-${hostileText}`, output: `17:15:03.434319636: Critical ${hostileText} (user=root)`, priority: 'Critical' },
    { 'k8s.ns.name': `prod${hostileText}`, 'proc.cmdline': hostileText },
  );
}
