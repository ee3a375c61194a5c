/**
 * Silences and inhibition over real HTTP with each store (a SQLite file, a PostgreSQL database): the API (create, list, expire,
 * errors, auth), muted events stored and counted but not delivered, expiry by time and by API,
 * and both surviving a restart of the router on the same file.
 */
import { expect } from 'chai';
import { loadRouterConfig } from '../../src/router/config.ts';
import { silentLogger } from '../../src/router/logger.ts';
import { startRouter, type RunningRouter } from '../../src/router/server.ts';
import { falcoEvent, postEvent, waitFor } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

const auth = { authorization: 'Bearer mute-token', 'content-type': 'application/json' };

const yaml = (storage: TestStorage): string => `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: TOKEN } }
storage: ${storage.yaml}
delivery: { poll_interval: 20ms }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
inhibit_rules:
  - name: node-compromised
    source_match: rule = "Node compromised"
    target_match: priority <= warning
    equal: [k8s.ns.name]
    duration: 2s
`;

interface Started {
  readonly router: RunningRouter;
  readonly lines: string[];
}

async function start(storage: TestStorage): Promise<Started> {
  const { config, diagnostics } = loadRouterConfig(yaml(storage), 'mute.yaml', { env: { TOKEN: 'mute-token', ...storage.env }, readFile: () => '' });
  if (config === undefined) throw new Error(JSON.stringify(diagnostics));
  const lines: string[] = [];
  const router = await startRouter(config, { logger: silentLogger, writeLine: (line) => lines.push(line) });
  return { router, lines };
}

/** Posts an event and says whether it was delivered (a log line with its uuid) or muted. */
async function deliveredOrMuted(started: Started, id: string, overrides: Record<string, unknown>, fields: Record<string, unknown>): Promise<'delivered' | 'muted'> {
  const response = await postEvent(`${started.router.url}/events`, falcoEvent({ uuid: id, ...overrides }, fields), auth);
  expect(response.status).to.equal(200);
  const stored = (await response.json()) as { deliveries: number; muted?: string };
  if (stored.muted !== undefined) {
    expect(stored.deliveries).to.equal(0);
    expect(stored.muted).to.equal(id.startsWith('s-') ? 'silence' : 'inhibit');
    return 'muted';
  }
  await waitFor(() => started.lines.some((line) => line.includes(id)), 5000, `delivery of ${id}`);
  return 'delivered';
}

interface SilenceView {
  id: string;
  state: string;
  muted: number;
  condition: string;
  createdBy: string;
  comment: string;
  startsAt: string;
  endsAt: string;
}

describeEachStore('router silences and inhibition (real HTTP, each store, restarts)', function (store) {
  this.timeout(30_000);
  let storage: TestStorage;
  let current: Started | undefined;

  beforeEach(async () => {
    storage = await store.fresh();
  });
  afterEach(async () => {
    await current?.router.close();
    current = undefined;
    await storage.dispose();
  });

  it('creates, lists and expires silences; silenced events are stored and counted, not delivered; a restart keeps them', async () => {
    current = await start(storage);
    const api = `${current.router.url}/api/silences`;
    const body = { condition: 'k8s.ns.name = dev and rule = "Terminal shell in container"', duration: '1h', createdBy: 'alice', comment: 'load test in dev' };
    expect((await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status, 'no token').to.equal(401);
    const bad = await fetch(api, { method: 'POST', headers: auth, body: JSON.stringify({ ...body, condition: 'k8s.ns.nme = dev' }) });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { code: string; message: string }).message).to.match(/1:1 FX\d{4} .*k8s\.ns\.nme/);
    const noEnd = await fetch(api, { method: 'POST', headers: auth, body: JSON.stringify({ ...body, duration: undefined }) });
    expect(((await noEnd.json()) as { code: string }).code).to.equal('FALX_ERR_INVALID_SILENCE');
    // A NUL character cannot be stored as text (PostgreSQL refuses it): refused up front, on every store alike.
    for (const withNul of [{ ...body, condition: 'k8s.ns.name = "a\u0000b"' }, { ...body, comment: 'a\u0000b' }]) {
      const refused = await fetch(api, { method: 'POST', headers: auth, body: JSON.stringify(withNul) });
      expect(refused.status).to.equal(400);
      expect(((await refused.json()) as { message: string }).message).to.match(/contains a NUL character/);
    }

    const created = await fetch(api, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    expect(created.status).to.equal(201);
    const silence = (await created.json()) as SilenceView;
    expect(silence).to.include({ state: 'active', createdBy: 'alice', comment: 'load test in dev', condition: body.condition, muted: 0 });
    expect(Date.parse(silence.endsAt) - Date.parse(silence.startsAt)).to.equal(3_600_000);

    expect(await deliveredOrMuted(current, 's-1', {}, { 'k8s.ns.name': 'dev' })).to.equal('muted');
    expect(await deliveredOrMuted(current, 's-2', {}, { 'k8s.ns.name': 'prod' })).to.equal('delivered');

    // Restart on the same file: the silence still holds and still counts.
    await current.router.close();
    current = await start(storage);
    expect(await deliveredOrMuted(current, 's-3', {}, { 'k8s.ns.name': 'dev' })).to.equal('muted');
    const listed = (await (await fetch(`${current.router.url}/api/silences?state=active`, { headers: auth })).json()) as { silences: SilenceView[] };
    expect(listed.silences.map((s) => [s.id, s.muted])).to.deep.equal([[silence.id, 2]]);

    // Expire through the API: dev events are delivered again; the record stays, as expired.
    const expired = await fetch(`${current.router.url}/api/silences/${silence.id}`, { method: 'DELETE', headers: auth });
    expect(expired.status).to.equal(200);
    expect(((await expired.json()) as SilenceView).state).to.equal('expired');
    expect(await deliveredOrMuted(current, 's-4', {}, { 'k8s.ns.name': 'dev' })).to.equal('delivered');
    expect((await fetch(`${current.router.url}/api/silences/nope`, { method: 'DELETE', headers: auth })).status).to.equal(404);
    const all = (await (await fetch(`${current.router.url}/api/silences`, { headers: auth })).json()) as { silences: SilenceView[] };
    expect(all.silences.map((s) => [s.state, s.muted])).to.deep.equal([['expired', 2]]);

    // A silence ends by itself at endsAt.
    const short = (await (await fetch(`${current.router.url}/api/silences`, { method: 'POST', headers: auth, body: JSON.stringify({ ...body, duration: '400ms' }) })).json()) as SilenceView;
    expect(await deliveredOrMuted(current, 's-5', {}, { 'k8s.ns.name': 'dev' })).to.equal('muted');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(short.endsAt) - Date.now()) + 50));
    expect(await deliveredOrMuted(current, 's-6', {}, { 'k8s.ns.name': 'dev' })).to.equal('delivered');
    const metrics = await (await fetch(`${current.router.url}/metrics`)).text();
    expect(metrics).to.match(/falx_events_silenced_total 2/);
    expect(metrics).to.match(/falx_silences\{state="expired"\} 2/);
  });

  it('inhibits targets with equal keys for the rule\'s duration after a source, across a restart, and never the source', async () => {
    current = await start(storage);
    const target = { priority: 'Warning' };
    const source = { rule: 'Node compromised', priority: 'Critical', output: '17:15:03.434319636: Critical Node compromised' };
    expect(await deliveredOrMuted(current, 'i-1', target, { 'k8s.ns.name': 'prod' }), 'no source yet').to.equal('delivered');
    const sourceAt = Date.now();
    expect(await deliveredOrMuted(current, 'i-2', source, { 'k8s.ns.name': 'prod' }), 'the source itself').to.equal('delivered');
    expect(await deliveredOrMuted(current, 'i-3', target, { 'k8s.ns.name': 'prod' }), 'same namespace').to.equal('muted');
    expect(await deliveredOrMuted(current, 'i-4', target, { 'k8s.ns.name': 'dev' }), 'another namespace').to.equal('delivered');
    expect(await deliveredOrMuted(current, 'i-5', { priority: 'Error' }, { 'k8s.ns.name': 'prod' }), 'not a target').to.equal('delivered');

    await current.router.close();
    current = await start(storage);
    expect(Date.now() - sourceAt).to.be.below(1500);
    expect(await deliveredOrMuted(current, 'i-6', target, { 'k8s.ns.name': 'prod' }), 'after a restart, within the window').to.equal('muted');
    const state = (await (await fetch(`${current.router.url}/api/inhibitions`, { headers: auth })).json()) as { active: { rule: string; equal: string[] }[]; muted: Record<string, number> };
    expect(state.active).to.have.length(1);
    expect(state.active[0]).to.include({ rule: 'node-compromised' });
    expect(state.active[0]?.equal).to.deep.equal(['prod']);
    expect(state.muted).to.deep.equal({ 'node-compromised': 2 });

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sourceAt + 2100 - Date.now())));
    expect(await deliveredOrMuted(current, 'i-7', target, { 'k8s.ns.name': 'prod' }), 'after the window').to.equal('delivered');
    expect(await (await fetch(`${current.router.url}/metrics`)).text()).to.match(/falx_events_inhibited_total\{rule="node-compromised"\} 1/);
  });
});
