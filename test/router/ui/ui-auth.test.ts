/**
 * The UI's guards over real HTTP, on both stores: no page or write without a session; only API
 * tokens log in; writes need the session's CSRF token and this origin; every page has a strict
 * Content-Security-Policy and no inline code; a hostile event's values are inert in every page.
 */
import { expect } from 'chai';
import { Authenticator } from '../../../src/router/http/auth.ts';
import { UiSessions } from '../../../src/router/ui/session.ts';
import { startTestRouter, type TestRouter } from '../support/in-process.ts';
import { falcoEvent, postEvent, waitFor } from '../support/router-process.ts';
import { describeEachStore } from '../support/stores.ts';
import { csrfOf, hostileEvent, logIn, uiConfig, uiEnv } from './support.ts';

const pages = ['/ui/events', '/ui/events/1', '/ui/groups', '/ui/deliveries', '/ui/deliveries?state=dead', '/ui/silences', '/ui/route-test'];
const writes = ['/ui/silences', '/ui/silences/check', '/ui/silences/x/expire', '/ui/deliveries/1/retry', '/ui/deliveries/retry-dead', '/ui/route-test', '/ui/logout'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describeEachStore('web UI: sessions, CSRF, CSP and escaping', function (store) {
  this.timeout(30_000);
  let router: TestRouter | undefined;

  beforeEach(async () => {
    router = await startTestRouter(uiConfig, uiEnv, store);
    expect((await postEvent(`${router.url}/events/ingest-path-secret`, falcoEvent())).status).to.equal(200);
  });
  afterEach(async () => {
    await router?.dispose();
    router = undefined;
  });

  it('refuses every page and every write without a session, and logs in only with an API token', async () => {
    const url = router!.url;
    for (const page of pages) {
      const browser = await fetch(`${url}${page}`, { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(browser.status, page).to.equal(303);
      expect(browser.headers.get('location'), page).to.match(/^\/ui\/login\?next=/);
      const script = await fetch(`${url}${page}`, { headers: { accept: 'application/json' } });
      expect(script.status, page).to.equal(401);
      // Bearer tokens open the API, not the UI: the UI is cookie-only, so its CSRF defence holds.
      expect((await fetch(`${url}${page}`, { redirect: 'manual', headers: { authorization: 'Bearer api-token-for-the-ui', accept: 'application/json' } })).status, page).to.equal(401);
    }
    for (const write of writes) {
      const response = await fetch(`${url}${write}`, { method: 'POST', headers: form, body: 'condition=x&duration=1h&comment=c' });
      expect(response.status, write).to.equal(401);
    }
    expect((await fetch(`${url}/ui/events`, { headers: { cookie: 'falx_session=forged.1.2.3', accept: 'application/json' } })).status).to.equal(401);
    for (const token of ['ingest-path-secret', 'sidekick-token', 'wrong', '']) expect(await logIn(url, token), token).to.equal(undefined);
    const session = await logIn(url, 'api-token-for-the-ui');
    expect(session).to.not.equal(undefined);
    expect(session!.setCookie).to.match(/HttpOnly/).and.match(/SameSite=Strict/).and.match(/Path=\/ui/);
    expect(session!.setCookie, 'no Secure over plain http').to.not.match(/Secure/);
    // A session signed for one token is refused when its signature is altered.
    const [name, value] = session!.cookie.split('=') as [string, string];
    const signature = value.slice(value.lastIndexOf('.') + 1);
    const tampered = `${name}=${value.slice(0, value.lastIndexOf('.') + 1)}${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    expect(tampered).to.not.equal(session!.cookie);
    expect((await fetch(`${url}/ui/events`, { headers: { cookie: tampered, accept: 'application/json' } })).status).to.equal(401);
    for (const page of pages) expect((await fetch(`${url}${page}`, { headers: { cookie: session!.cookie } })).status, page).to.equal(200);
  });

  it('refuses a write without the CSRF token, with another session\'s token, or from another origin', async () => {
    const url = router!.url;
    const session = (await logIn(url, 'api-token-for-the-ui'))!;
    const other = (await logIn(url, 'api-token-for-the-ui'))!;
    const page = await (await fetch(`${url}/ui/silences`, { headers: { cookie: session.cookie } })).text();
    const csrf = csrfOf(page);
    const otherCsrf = csrfOf(await (await fetch(`${url}/ui/silences`, { headers: { cookie: other.cookie } })).text());
    expect(otherCsrf).to.not.equal(csrf);
    const body = (token?: string): string => new URLSearchParams({ condition: 'rule = "Noisy"', duration: '1h', comment: 'maintenance', ...(token === undefined ? {} : { _csrf: token }) }).toString();
    for (const write of writes) {
      expect((await fetch(`${url}${write}`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie: session.cookie }, body: body() })).status, `${write} without a token`).to.equal(403);
      expect((await fetch(`${url}${write}`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie: session.cookie }, body: body(otherCsrf) })).status, `${write} with another session's token`).to.equal(403);
      expect((await fetch(`${url}${write}`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie: session.cookie, origin: 'https://evil.example' }, body: body(csrf) })).status, `${write} from another origin`).to.equal(403);
    }
    const created = await fetch(`${url}/ui/silences`, { method: 'POST', redirect: 'manual', headers: { ...form, cookie: session.cookie }, body: body(csrf) });
    expect(created.status).to.equal(303);
    const list = await (await fetch(`${url}/api/silences`, { headers: { authorization: 'Bearer api-token-for-the-ui' } })).json() as { silences: { condition: string; createdBy: string }[] };
    expect(list.silences.map((silence) => [silence.condition, silence.createdBy])).to.deep.equal([['rule = "Noisy"', 'api-token:0']]);
  });

  it('serves every page with a strict Content-Security-Policy and no inline script, style or handler', async () => {
    const url = router!.url;
    const session = (await logIn(url, 'api-token-for-the-ui'))!;
    for (const page of [...pages, '/ui/login']) {
      const response = await fetch(`${url}${page}`, { headers: { cookie: session.cookie } });
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, page).to.contain("default-src 'none'").and.contain("script-src 'self'").and.contain("frame-ancestors 'none'").and.not.contain('unsafe');
      expect(response.headers.get('x-content-type-options'), page).to.equal('nosniff');
      const text = await response.text();
      expect(text, page).to.not.match(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(text, page).to.not.match(/\sstyle=|\son[a-z]+=/i);
    }
  });

  it('renders a hostile event inert in every page and in the live feed', async () => {
    const url = router!.url;
    expect((await postEvent(`${url}/events/ingest-path-secret`, hostileEvent())).status).to.equal(200);
    const session = (await logIn(url, 'api-token-for-the-ui'))!;
    await waitFor(async () => (await fetch(`${url}/api/groups`, { headers: { authorization: 'Bearer api-token-for-the-ui' } }).then((r) => r.json() as Promise<{ groups: unknown[] }>)).groups.length === 2, 10_000, 'two groups');
    const csrf = csrfOf(await (await fetch(`${url}/ui/events`, { headers: { cookie: session.cookie } })).text());
    const routeTest = await fetch(`${url}/ui/route-test`, { method: 'POST', headers: { ...form, cookie: session.cookie }, body: new URLSearchParams({ _csrf: csrf, event: JSON.stringify(hostileEvent()) }) });
    const bodies = [await routeTest.text()];
    for (const page of ['/ui/events', '/ui/events/2', '/ui/groups', '/ui/deliveries', '/ui/events?condition=proc.cmdline%20contains%20script']) bodies.push(await (await fetch(`${url}${page}`, { headers: { cookie: session.cookie } })).text());
    for (const body of bodies) {
      expect(body).to.not.contain('<script>window').and.not.contain('<img src=x').and.not.contain('\u202E').and.not.contain('\u200B');
    }
    expect(bodies[2]).to.contain('&#60;script&#62;window.pwned=1&#60;/script&#62;').and.contain('&#60;U+202E&#62;gnp.exe&#60;U+200B&#62;');
    const feed = await (await fetch(`${url}/ui/events/feed?after=0`, { headers: { cookie: session.cookie } })).text();
    expect(feed).to.not.contain('\u202E');
    expect(feed).to.contain('<U+202E>');
  });

  it('filters events by rule, priority, namespace, host, time and condition, and counts them', async () => {
    const url = router!.url;
    const post = (rule: string, priority: string, namespace: string, hostname: string): Promise<Response> =>
      postEvent(`${url}/events/ingest-path-secret`, falcoEvent({ rule, priority, hostname }, { 'k8s.ns.name': namespace, 'proc.name': rule === 'A' ? 'curl' : 'bash' }));
    for (const [rule, priority, namespace, hostname] of [['A', 'Critical', 'prod', 'n1'], ['A', 'Warning', 'dev', 'n2'], ['B', 'Critical', 'prod', 'n2'], ['B', 'Notice', 'dev', 'n1']] as const) {
      expect((await post(rule, priority, namespace, hostname)).status).to.equal(200);
    }
    const session = (await logIn(url, 'api-token-for-the-ui'))!;
    const feed = async (query: string): Promise<string[]> => {
      const body = (await (await fetch(`${url}/ui/events/feed?after=0&${query}`, { headers: { cookie: session.cookie } })).json()) as { events: { rule: string; priority: string; namespace: string; hostname: string }[] };
      return body.events.map((event) => `${event.rule} ${event.priority} ${event.namespace} ${event.hostname}`);
    };
    expect(await feed('rule=A')).to.deep.equal(['A Critical prod n1', 'A Warning dev n2']);
    expect(await feed('priority=critical')).to.deep.equal(['A Critical prod n1', 'B Critical prod n2']);
    expect(await feed('namespace=dev&hostname=n1')).to.deep.equal(['B Notice dev n1']);
    expect(await feed('condition=proc.name%20%3D%20curl%20and%20priority%20%3E%3D%20warning')).to.deep.equal(['A Critical prod n1', 'A Warning dev n2']);
    expect(await feed(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).to.deep.equal([]);
    const page = await (await fetch(`${url}/ui/events?rule=B`, { headers: { cookie: session.cookie } })).text();
    expect(page.match(/<tr data-id=/g)?.length).to.equal(2);
    expect(page).to.match(/<caption>Events per rule<\/caption><tbody><tr><td><a [^>]*>B<\/a><\/td><td class="num">2<\/td>/);
    const bad = await (await fetch(`${url}/ui/events?condition=proc.nme%20%3D%20x`, { headers: { cookie: session.cookie } })).text();
    expect(bad).to.contain('Condition: 1:1 FX2001');
  });
});

describe('web UI on a router without credentials', function () {
  this.timeout(20_000);

  it('logs in without a token (the form has no token field), still with a session and CSRF tokens', async () => {
    const router = await startTestRouter('listen: { host: 127.0.0.1, port: 0 }\nstorage: { path: STORAGE }\nreceivers: [{ name: log, type: log }]\nroute: { receivers: [log] }\n');
    try {
      const form = await (await fetch(`${router.url}/ui/login`)).text();
      expect(form).to.not.contain('name="token"');
      const login = await fetch(`${router.url}/ui/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'next=%2Fui%2Fgroups' });
      expect(login.status).to.equal(303);
      expect(login.headers.get('location')).to.equal('/ui/groups');
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${router.url}/ui/groups`, { headers: { cookie } })).status).to.equal(200);
      expect((await fetch(`${router.url}/ui/deliveries/retry-dead`, { method: 'POST', redirect: 'manual', headers: { cookie } })).status, 'still no write without the CSRF token').to.equal(403);
    } finally {
      await router.dispose();
    }
  });
});

describe('web UI sessions', () => {
  const auth = new Authenticator({ pathSecrets: [], tokens: ['ingest'], apiTokens: ['one', 'two'], legacyTokensOpenApi: false, clientCertificates: false });
  const sessions = new UiSessions((identity) => auth.sessionKey(identity));

  it('accepts a session until it expires, and not for an identity whose token is gone', () => {
    const cookie = sessions.issue('api-token:1', 1_000)!;
    expect(sessions.verify(cookie, 2_000)?.identity).to.equal('api-token:1');
    expect(sessions.verify(cookie, 1_000 + 12 * 3_600_000)).to.equal(undefined);
    const fewer = new Authenticator({ pathSecrets: [], tokens: ['ingest'], apiTokens: ['one'], legacyTokensOpenApi: false, clientCertificates: false });
    expect(new UiSessions((identity) => fewer.sessionKey(identity)).verify(cookie, 2_000)).to.equal(undefined);
    expect(sessions.issue('token:0', 1_000), 'an ingest token has no session').to.equal(undefined);
    expect(auth.identifyApiToken('ingest')).to.equal(undefined);
  });
});
