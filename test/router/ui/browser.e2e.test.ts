/**
 * The UI in a real headless Chromium (Debian's, driven by playwright-core) against a real router
 * with stored events and a real SMTP server: log in, filter, open an event, create a silence whose
 * condition has an error (the diagnostic shows as it is typed), fix it, see a posted event muted,
 * see a new event arrive without a reload, retry a dead delivery, test a route. A hostile event's
 * values stay inert on every page: no script runs, no element is injected. Screenshots of each
 * page go to test-artifacts/ui/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestRouter, type TestRouter } from '../support/in-process.ts';
import { falcoEvent, postEvent, waitFor } from '../support/router-process.ts';
import { SmtpCatcher } from '../support/smtp-catcher.ts';
import { hostileEvent, uiEnv } from './support.ts';

const chromiumPath = process.env['FALX_CHROMIUM'] ?? '/usr/bin/chromium';
const artifacts = join(import.meta.dirname, '..', '..', '..', 'test-artifacts', 'ui');
const apiToken = uiEnv.API_TOKEN;

function config(smtpPort: number): string {
  return `
listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: { env: INGEST_SECRET }
  api_tokens: [{ env: API_TOKEN }]
storage: { path: STORAGE }
receivers:
  - name: log
    type: log
  - name: email
    type: email
    from: "falx <falx@example.test>"
    to: [secops@example.test]
    smtp: { host: 127.0.0.1, port: ${smtpPort}, tls: none, timeout: 5s }
route:
  receivers: [log]
  routes:
    - name: mail
      match: rule = "Mail me"
      receivers: [email]
    - name: shells
      match: rule = "Terminal shell in container" or rule startswith "Shell "
      group_by: [k8s.ns.name]
      group_wait: 1s
`;
}

(existsSync(chromiumPath) ? describe : describe.skip)(`web UI in Chromium${existsSync(chromiumPath) ? '' : ` (skipped: no browser at ${chromiumPath}; .ci/run installs Debian's chromium)`}`, function () {
  this.timeout(90_000);
  let router: TestRouter;
  let smtp: SmtpCatcher;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const ingest = (event: Record<string, unknown>): Promise<Response> => postEvent(`${router.url}/events/ingest-path-secret`, event);
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => (await (await fetch(`${router.url}/api${path}`, { ...init, headers: { authorization: `Bearer ${apiToken}`, ...init.headers } })).json()) as T;
  const shot = async (name: string): Promise<void> => {
    await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
  };
  /** The hostile values did nothing: no script ran and no element came from them. */
  const inert = async (where: string): Promise<void> => {
    // Evaluated in the page (a string: this file is compiled without the DOM's types).
    const state = await page.evaluate(`({ pwned: window.pwned, injected: document.querySelectorAll('img, script:not([src])').length })`);
    expect(state, where).to.deep.equal({ pwned: undefined, injected: 0 });
    expect(dialogs, where).to.deep.equal([]);
  };

  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    smtp = new SmtpCatcher();
    await smtp.start();
    // The first mail is refused for good: its delivery goes dead, to be retried from the UI.
    smtp.refuseNext.push(550);
    router = await startTestRouter(config(smtp.port), uiEnv);
    for (let index = 0; index < 30; index += 1) {
      expect((await ingest(falcoEvent({ hostname: `node-${index % 3}` }, { 'k8s.ns.name': index % 2 === 0 ? 'prod' : 'dev' }))).status).to.equal(200);
    }
    expect((await ingest(falcoEvent({ rule: 'Mail me', priority: 'Error' }))).status).to.equal(200);
    expect((await ingest(hostileEvent())).status).to.equal(200);
    await waitFor(async () => (await api<{ deliveries: unknown[] }>('/deliveries?state=dead')).deliveries.length === 1, 20_000, 'the refused mail to go dead');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  after(async () => {
    await browser?.close();
    await router?.dispose();
    await smtp?.stop();
  });

  it('logs in with an API token and lands on the events it asked for', async () => {
    await page.goto(`${router.url}/ui/events?rule=Mail%20me`);
    expect(new URL(page.url()).pathname).to.equal('/ui/login');
    await shot('login');
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    await page.waitForSelector('.problems');
    await page.fill('input[name=token]', apiToken);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/ui\/events\?rule=Mail/);
    expect(await page.locator('#event-rows tr').count()).to.equal(1);
    const cookies = await page.context().cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite])).to.deep.equal([['falx_session', true, 'Strict']]);
    expect(await page.evaluate('document.cookie'), 'the session cookie is out of scripts\' reach').to.equal('');
  });

  it('lists, charts and filters events, with the hostile one inert', async () => {
    await page.goto(`${router.url}/ui/events`);
    expect(await page.locator('#event-rows tr').count()).to.equal(32);
    expect(await page.locator('.chart rect').count()).to.be.greaterThan(0);
    const hostileRow = page.locator('#event-rows tr').first();
    expect(await hostileRow.locator('td.output').innerText()).to.contain('<script>window.pwned=1</script>').and.contain('<U+202E>gnp.exe');
    await inert('events page');
    await shot('events');
    await page.selectOption('select[name=priority]', 'Error');
    await page.click('#event-filters button[type=submit]');
    await page.waitForURL(/priority=Error/);
    expect(await page.locator('#event-rows tr td:nth-child(3)').allInnerTexts()).to.deep.equal(['Mail me']);
    await page.goto(`${router.url}/ui/events?namespace=dev&condition=${encodeURIComponent('hostname = node-1')}`);
    expect(await page.locator('#event-rows tr').count()).to.equal(5);
    await shot('events-filtered');
  });

  it('opens an event with its route path and deliveries', async () => {
    await page.goto(`${router.url}/ui/events?rule=Mail%20me`);
    await page.click('#event-rows tr a');
    await page.waitForURL(/\/ui\/events\/\d+$/);
    expect(await page.locator('.route-path li.final').innerText()).to.contain('mail: matched, delivers');
    expect(await page.locator('table.deliveries tbody tr td:nth-child(2)').innerText()).to.equal('dead');
    await shot('event');
    // The hostile event was the 32nd stored.
    await page.goto(`${router.url}/ui/events/32`);
    expect(await page.locator('dl.event dd').first().innerText()).to.contain('<script>');
    await inert('hostile event page');
    await shot('event-hostile');
  });

  it('shows groups with their counts', async () => {
    await page.goto(`${router.url}/ui/groups`);
    await waitFor(async () => {
      await page.reload();
      return (await page.locator('table.groups tbody tr').count()) === 3;
    }, 15_000, 'three groups (prod, dev and the hostile namespace)');
    const totals = await page.locator('table.groups tbody tr td:nth-child(4)').allInnerTexts();
    expect(totals.map(Number).sort((a, b) => a - b)).to.deep.equal([1, 15, 15]);
    await inert('groups page');
    await shot('groups');
  });

  it('checks a silence as it is typed, creates it once fixed, and mutes a new event', async () => {
    await page.goto(`${router.url}/ui/silences`);
    await page.fill('#silence-condition', 'proc.nme = curl');
    await page.waitForSelector('#silence-check[data-state=invalid] .problems li');
    expect(await page.locator('#silence-check .problems li').innerText()).to.match(/^1:1 FX2001 Unknown field "proc\.nme"/);
    await shot('silence-error');
    await page.fill('#silence-condition', 'proc.name = bash and k8s.ns.name = dev');
    await page.waitForSelector('#silence-check[data-state=valid]');
    expect(await page.locator('#silence-preview p').innerText()).to.equal('It would have muted 15 of the last 32 events.');
    await page.fill('input[name=duration]', '1h');
    await page.fill('input[name=comment]', 'dev shells during the migration');
    await shot('silence-valid');
    await page.click('#silence-form button[type=submit]');
    await page.waitForURL(/\/ui\/silences$/);
    expect(await page.locator('table.silences tbody tr td:first-child').allInnerTexts()).to.deep.equal(['active']);
    const muted = await ingest(falcoEvent({ hostname: 'node-muted' }, { 'k8s.ns.name': 'dev' }));
    expect(((await muted.json()) as { muted?: unknown }).muted).to.not.equal(undefined);
    await page.goto(`${router.url}/ui/events?hostname=node-muted`);
    expect(await page.locator('#event-rows tr td:last-child').innerText()).to.match(/^silence [0-9a-f-]{36}$/);
    await page.goto(`${router.url}/ui/silences`);
    expect(await page.locator('table.silences tbody tr td:nth-child(5)').innerText()).to.equal('1');
    await shot('silences');
  });

  it('shows a new event without a reload', async () => {
    await page.goto(`${router.url}/ui/events`);
    const before = await page.locator('#event-rows tr').count();
    expect((await ingest(falcoEvent({ rule: 'Arrived live', hostname: 'node-live' }))).status).to.equal(200);
    await page.waitForSelector('#event-rows tr:first-child >> text=Arrived live', { timeout: 10_000 });
    expect(await page.locator('#event-rows tr').count()).to.equal(before + 1);
    await inert('events page after a live update');
  });

  it('retries a dead delivery, which is then sent', async () => {
    await page.goto(`${router.url}/ui/deliveries?state=dead`);
    expect(await page.locator('table.deliveries tbody tr td.error').innerText()).to.contain('SMTP 550');
    await shot('deliveries-dead');
    await page.click('table.deliveries tbody tr button');
    await page.waitForSelector('.notice');
    expect(await page.locator('.notice').innerText()).to.match(/^Delivery \d+ is queued again\.$/);
    await waitFor(() => smtp.mails.length === 1, 15_000, 'the retried mail');
    await page.goto(`${router.url}/ui/deliveries?state=dead`);
    expect(await page.locator('table.deliveries').count()).to.equal(0);
    await shot('deliveries');
  });

  it('tests a route for a pasted event, and says whether it would be muted', async () => {
    await page.goto(`${router.url}/ui/route-test`);
    await page.fill('textarea[name=event]', JSON.stringify(falcoEvent({}, { 'k8s.ns.name': 'dev' })));
    await page.click('form[action="/ui/route-test"] button');
    await page.waitForSelector('.route-result');
    expect(await page.locator('.route-path li.final').innerText()).to.contain('shells: matched, delivers');
    expect(await page.locator('ul.receivers li').allInnerTexts()).to.deep.equal(['log via shells, grouped by k8s.ns.name']);
    expect(await page.locator('#muted').innerText()).to.match(/^Yes, by silence/);
    await shot('route-test');
    await page.fill('textarea[name=event]', JSON.stringify(hostileEvent()));
    await page.click('form[action="/ui/route-test"] button');
    await page.waitForSelector('.route-result');
    await inert('route tester with the hostile event');
  });

  it('logs out, after which pages need a login again', async () => {
    await page.goto(`${router.url}/ui/events`);
    await page.click('nav .logout button');
    await page.waitForURL(/\/ui\/login$/);
    await page.goto(`${router.url}/ui/deliveries`);
    expect(new URL(page.url()).pathname).to.equal('/ui/login');
  });
});
