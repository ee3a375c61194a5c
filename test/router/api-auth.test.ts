/**
 * Ingest credentials only post events; the API (silences, deliveries, retries) takes its own
 * tokens. A silence is time-boxed by a maximum duration. Real HTTP on 127.0.0.1, real SQLite.
 */
import { expect } from 'chai';
import { loadRouterConfig } from '../../src/router/config.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { describeEachStore } from './support/stores.ts';
import { falcoEvent, postEvent } from './support/router-process.ts';

const separated = `
listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: { env: INGEST_SECRET }
  tokens: [{ env: SIDEKICK_TOKEN }]
  api_tokens: [{ env: API_TOKEN }]
limits: { max_silence: 1d }
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`;

const env = { INGEST_SECRET: 'ingest-path-secret', SIDEKICK_TOKEN: 'sidekick-token', API_TOKEN: 'api-token' };
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const silence = { condition: 'rule = "Noisy"', createdBy: 'test', comment: 'maintenance' };

describeEachStore('router auth: ingest and API credentials are separate', function (store) {
  this.timeout(20_000);
  let router: TestRouter | undefined;

  afterEach(async () => {
    await router?.dispose();
    router = undefined;
  });

  it('refuses the path secret and ingest tokens on /api, and API tokens on ingest', async () => {
    router = await startTestRouter(separated, env, store);
    const url = router.url;
    for (const token of ['ingest-path-secret', 'sidekick-token']) {
      expect((await fetch(`${url}/api/deliveries`, { headers: bearer(token) })).status, token).to.equal(401);
      const create = await fetch(`${url}/api/silences`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ ...silence, duration: '1h' }) });
      expect(create.status, token).to.equal(401);
      expect((await fetch(`${url}/api/deliveries/1/retry`, { method: 'POST', headers: bearer(token) })).status, token).to.equal(401);
    }
    expect((await fetch(`${url}/api/deliveries`, { headers: bearer('api-token') })).status).to.equal(200);
    expect((await postEvent(`${url}/events/ingest-path-secret`, falcoEvent())).status).to.equal(200);
    expect((await postEvent(`${url}/events`, falcoEvent(), bearer('sidekick-token'))).status).to.equal(200);
    expect((await postEvent(`${url}/events`, falcoEvent(), bearer('api-token'))).status).to.equal(401);
  });

  it('keeps a configuration without api_tokens working, with a warning, but never lets the path secret in', async () => {
    const legacy = separated.replace('  api_tokens: [{ env: API_TOKEN }]\n', '');
    const diagnostics = loadRouterConfig(legacy.replace('STORAGE', 'x.sqlite'), 'r.yaml', undefined).diagnostics;
    expect(diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.severity}`)).to.deep.equal(['5:11 FX7013 warning']);
    router = await startTestRouter(legacy, env, store);
    expect((await fetch(`${router.url}/api/deliveries`, { headers: bearer('sidekick-token') })).status).to.equal(200);
    expect((await fetch(`${router.url}/api/deliveries`, { headers: bearer('ingest-path-secret') })).status).to.equal(401);
  });

  it('refuses at start an API token equal to an ingest credential, and api_tokens without any ingest credential', () => {
    const reused = loadRouterConfig(separated.replace('STORAGE', 'x.sqlite'), 'r.yaml', { env: { ...env, API_TOKEN: 'ingest-path-secret' }, readFile: () => '' });
    expect(reused.config).to.equal(undefined);
    expect(reused.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}`)).to.deep.equal([
      "6:16 FX7002 An API token must differ from every ingest credential (path_secret, tokens): those are stored in Falco and Falcosidekick, and Falco's is part of a URL.",
    ]);
    const apiOnly = loadRouterConfig('auth: { api_token: { env: API_TOKEN } }\nreceivers: [{ name: log, type: log }]\nroute: { receivers: [log] }\n', 'r.yaml', { env, readFile: () => '' });
    expect(apiOnly.config).to.equal(undefined);
    expect(apiOnly.diagnostics[0]?.message).to.contain('every event would be refused');
  });

  it('refuses a silence longer than limits.max_silence with a clear 400', async () => {
    router = await startTestRouter(separated, env, store);
    const post = async (fields: Record<string, string>): Promise<Response> =>
      await fetch(`${router!.url}/api/silences`, { method: 'POST', headers: { ...bearer('api-token'), 'content-type': 'application/json' }, body: JSON.stringify({ ...silence, ...fields }) });
    const tooLong = await post({ duration: '25h' });
    expect(tooLong.status).to.equal(400);
    const body = (await tooLong.json()) as { code: string; message: string };
    expect(body.code).to.equal('FALX_ERR_INVALID_SILENCE');
    expect(body.message).to.equal('A silence may last at most 1d (limits.max_silence); this one would last 25h. Create a new one when it ends if it is still needed.');
    expect((await post({ endsAt: '2999-01-01T00:00:00Z' })).status).to.equal(400);
    expect((await post({ duration: '1d' })).status).to.equal(201);
  });

  it('limits silences to 7 days by default', () => {
    const { config } = loadRouterConfig('receivers: [{ name: log, type: log }]\nroute: { receivers: [log] }\n', 'r.yaml', undefined);
    expect(config?.limits.maxSilenceMs).to.equal(7 * 86_400_000);
  });
});
