/**
 * Ingest over real HTTP: one test per error, each asserting the status and the JSON error shape,
 * and that nothing invalid was stored.
 */
import { request as httpRequest } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { falcoEvent, postEvent } from './support/router-process.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { describeEachStore } from './support/stores.ts';

const config = `
listen: { host: 127.0.0.1, port: 0 }
auth:
  path_secret: { env: PATH_SECRET }
  tokens: [{ env: TOKEN }]
limits: { max_body: 2kb, rate_limit: { per_second: 1, burst: 40 } }
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`;

interface ErrorBody {
  statusCode: number;
  code: string;
  error: string;
  message: string;
}

/** Posts from a chosen loopback address (127.0.0.2 is another client on the same machine). */
async function postFrom(localAddress: string, url: string, event: unknown): Promise<number> {
  return await new Promise((resolve, reject) => {
    const body = JSON.stringify(event);
    const request = httpRequest(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function expectError(response: Response, status: number, code: string, message?: RegExp): Promise<ErrorBody> {
  expect(response.status).to.equal(status);
  expect(response.headers.get('content-type')).to.match(/^application\/json/);
  const body = (await response.json()) as ErrorBody;
  expect(body).to.have.keys(['statusCode', 'code', 'error', 'message']);
  expect(body.statusCode).to.equal(status);
  expect(body.code).to.equal(code);
  if (message) expect(body.message).to.match(message);
  return body;
}

describeEachStore('router/http ingest', (store) => {
  let router: TestRouter;
  let url: string;
  const auth = { authorization: 'Bearer tok' };

  beforeEach(async () => {
    router = await startTestRouter(config, { PATH_SECRET: 's3cret', TOKEN: 'tok' }, store);
    url = router.url;
  });
  afterEach(async () => {
    await router.dispose();
  });

  async function stored(): Promise<number> {
    const list = (await (await fetch(`${url}/api/deliveries`, { headers: auth })).json()) as { deliveries: unknown[] };
    return list.deliveries.length;
  }

  it('accepts Falco events on the secret path, and Falcosidekick payloads with a bearer token', async () => {
    const falco = falcoEvent();
    delete falco['message'];
    expect((await postEvent(`${url}/events/s3cret`, falco)).status).to.equal(200);
    expect((await postEvent(`${url}/s3cret`, { ...falcoEvent(), message: 'A shell was spawned' })).status).to.equal(200);
    const sidekick = await postEvent(`${url}/`, { ...falcoEvent(), uuid: '2f3c1b4e-0000-4000-8000-000000000001' }, auth);
    expect(sidekick.status).to.equal(200);
    expect(((await sidekick.json()) as { uuid: string }).uuid).to.equal('2f3c1b4e-0000-4000-8000-000000000001');
    expect(await stored()).to.equal(3);
  });

  it('keeps big integers exact and accepts null, numeric and bracketed output fields', async () => {
    const body = '{"rule":"r","priority":"notice","output":"o","output_fields":{"evt.time":1795281303434319636,"proc.aname[2]":null,"user.uid":0}}';
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });
    expect(response.status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(router.lines.join('')).to.contain('"evt.time":"1795281303434319636"');
  });

  it('refuses bad JSON with 400 FALX_ERR_BAD_JSON', async () => {
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"rule": "x",' });
    await expectError(response, 400, 'FALX_ERR_BAD_JSON', /not valid JSON/);
    expect(await stored()).to.equal(0);
  });

  it('refuses a body that is not an object with 400 FALX_ERR_NOT_AN_EVENT', async () => {
    await expectError(await postEvent(`${url}/events`, [falcoEvent()], auth), 400, 'FALX_ERR_NOT_AN_EVENT');
  });

  it('refuses a wrong content type with 415 FALX_ERR_CONTENT_TYPE and says how to fix Falco', async () => {
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '17:15:03: Warning something' });
    await expectError(response, 415, 'FALX_ERR_CONTENT_TYPE', /json_output: true/);
  });

  it('refuses an event without a rule or a priority with 400 FALX_ERR_MISSING_FIELD', async () => {
    await expectError(await postEvent(`${url}/events`, falcoEvent({ rule: undefined }), auth), 400, 'FALX_ERR_MISSING_FIELD', /"rule"/);
    await expectError(await postEvent(`${url}/events`, falcoEvent({ priority: undefined }), auth), 400, 'FALX_ERR_MISSING_FIELD', /"priority"/);
    expect(await stored()).to.equal(0);
  });

  it('refuses a field of the wrong type with 400 FALX_ERR_INVALID_FIELD', async () => {
    await expectError(await postEvent(`${url}/events`, falcoEvent({ tags: 'shell' }), auth), 400, 'FALX_ERR_INVALID_FIELD', /"tags"/);
    await expectError(await postEvent(`${url}/events`, falcoEvent({}, { 'proc.cmdline': { nested: true } }), auth), 400, 'FALX_ERR_INVALID_FIELD', /proc\.cmdline/);
  });

  it('refuses an unknown priority with 400 FALX_ERR_UNKNOWN_PRIORITY, and accepts any case and "info"', async () => {
    await expectError(await postEvent(`${url}/events`, falcoEvent({ priority: 'Severe' }), auth), 400, 'FALX_ERR_UNKNOWN_PRIORITY', /Severe/);
    expect((await postEvent(`${url}/events`, falcoEvent({ priority: 'info' }), auth)).status).to.equal(200);
    expect((await postEvent(`${url}/events`, falcoEvent({ priority: 'CRITICAL' }), auth)).status).to.equal(200);
  });

  it('refuses a body over the limit with 413 FALX_ERR_BODY_TOO_LARGE', async () => {
    await expectError(await postEvent(`${url}/events`, falcoEvent({}, { 'proc.cmdline': 'x'.repeat(4096) }), auth), 413, 'FALX_ERR_BODY_TOO_LARGE', /2048 bytes/);
    expect(await stored()).to.equal(0);
  });

  it('refuses a chunked body over the limit with 413 once it passes the limit, and stores nothing', async () => {
    const body = JSON.stringify(falcoEvent({}, { 'proc.cmdline': 'x'.repeat(4096) }));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < body.length; at += 512) controller.enqueue(new TextEncoder().encode(body.slice(at, at + 512)));
        controller.close();
      },
    });
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    await expectError(response, 413, 'FALX_ERR_BODY_TOO_LARGE', /2048 bytes/);
    expect(await stored()).to.equal(0);
  });

  it('inflates a gzip or deflate body, the limit applying to the inflated size; refuses another encoding or charset with 415', async () => {
    const send = (body: Buffer, headers: Record<string, string>): Promise<Response> => fetch(`${url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', ...headers }, body });
    expect((await send(gzipSync(JSON.stringify(falcoEvent())), { 'content-encoding': 'gzip' })).status).to.equal(200);
    expect((await send(deflateSync(JSON.stringify(falcoEvent())), { 'content-encoding': 'deflate' })).status).to.equal(200);
    const bomb = gzipSync(JSON.stringify(falcoEvent({}, { 'proc.cmdline': 'x'.repeat(100_000) })));
    expect(bomb.length).to.be.below(2048);
    await expectError(await send(bomb, { 'content-encoding': 'gzip' }), 413, 'FALX_ERR_BODY_TOO_LARGE');
    await expectError(await send(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' }), 400, 'FALX_ERR_BAD_JSON', /could not be read/);
    await expectError(await send(Buffer.from(JSON.stringify(falcoEvent())), { 'content-encoding': 'br' }), 415, 'FALX_ERR_CONTENT_TYPE', /content encoding/);
    await expectError(await send(Buffer.from(JSON.stringify(falcoEvent())), { 'content-type': 'application/json; charset=latin1' }), 415, 'FALX_ERR_CONTENT_TYPE', /charset/);
    expect((await send(Buffer.from(JSON.stringify(falcoEvent())), { 'content-type': 'application/json; charset=UTF-8' })).status).to.equal(200);
    expect(await stored()).to.equal(3);
  });

  it('answers 400 and stores nothing when the client stops sending halfway, and keeps serving', async () => {
    const body = JSON.stringify(falcoEvent());
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${url}/events`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'content-length': body.length } });
      request.on('error', () => resolve());
      request.write(body.slice(0, 20), () => setTimeout(() => request.destroy(), 50));
      request.on('close', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await stored()).to.equal(0);
    expect((await postEvent(`${url}/events`, falcoEvent(), auth)).status).to.equal(200);
  });

  it('refuses a missing or wrong secret or token with 401 FALX_ERR_UNAUTHORIZED', async () => {
    await expectError(await postEvent(`${url}/events`, falcoEvent()), 401, 'FALX_ERR_UNAUTHORIZED');
    await expectError(await postEvent(`${url}/events/wrong`, falcoEvent()), 401, 'FALX_ERR_UNAUTHORIZED');
    await expectError(await postEvent(`${url}/wrong`, falcoEvent()), 401, 'FALX_ERR_UNAUTHORIZED');
    await expectError(await postEvent(`${url}/events`, falcoEvent(), { authorization: 'Bearer nope' }), 401, 'FALX_ERR_UNAUTHORIZED');
    await expectError(await fetch(`${url}/api/deliveries`), 401, 'FALX_ERR_UNAUTHORIZED');
    expect(await stored()).to.equal(0);
  });

  it('rate-limits a client with 429 FALX_ERR_RATE_LIMITED and Retry-After, and stays up for others', async () => {
    const responses = await Promise.all(Array.from({ length: 60 }, () => postEvent(`${url}/events/wrong`, falcoEvent())));
    const limited = responses.filter((response) => response.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    expect(limited[0]?.headers.get('retry-after')).to.match(/^\d+$/);
    await expectError(limited[0]!, 429, 'FALX_ERR_RATE_LIMITED');
    // The storm came from unauthenticated guesses; an authenticated client has its own bucket.
    expect((await postEvent(`${url}/events`, falcoEvent(), auth)).status).to.equal(200);
    expect((await fetch(`${url}/healthz`)).status).to.equal(200);
  });

  it('acknowledges a re-post of the same event as a duplicate, and refuses another event reusing its uuid with 409', async () => {
    const uuid = '7d1e2f30-0000-4000-8000-00000000abcd';
    const first = await postEvent(`${url}/events`, falcoEvent({ uuid }), auth);
    expect(((await first.json()) as { status: string }).status).to.equal('stored');
    const again = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(falcoEvent({ uuid }), null, 2) });
    expect(again.status).to.equal(200);
    expect(((await again.json()) as { status: string }).status).to.equal('duplicate');
    const other = await postEvent(`${url}/events`, falcoEvent({ uuid, rule: 'Something else entirely' }), auth);
    await expectError(other, 409, 'FALX_ERR_UUID_CONFLICT', /7d1e2f30-0000-4000-8000-00000000abcd was already received with a different body/);
    expect(await stored()).to.equal(1);
  });

  it('refuses a hostile uuid (line breaks, markup) with 400 before it can reach a header or Slack', async () => {
    for (const uuid of ['x\r\nBcc: victim@example.test', '<!channel>', 'a b', 'u'.repeat(129)]) {
      await expectError(await postEvent(`${url}/events`, falcoEvent({ uuid }), auth), 400, 'FALX_ERR_INVALID_FIELD', /"uuid" must be/);
    }
    expect(await stored()).to.equal(0);
  });

  it('refuses absurdly nested JSON with a clean 400 that says so', async () => {
    const deep = `{"rule":"x","priority":"Warning","output_fields":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: deep.slice(0, 2000) });
    await expectError(response, 400, 'FALX_ERR_BAD_JSON', /nested more than 32 levels deep/);
  });

  it('keeps an output field named __proto__ as data', async () => {
    const body = JSON.stringify(falcoEvent()).replace('"output_fields":{', '"output_fields":{"__proto__":"evil","constructor":"x",');
    const response = await fetch(`${url}/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body });
    expect(response.status).to.equal(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const line = router.lines.find((text) => text.includes('"__proto__"'));
    expect(line, router.lines.join('\n')).to.be.a('string').and.to.contain('"__proto__":"evil"');
  });

  it('rate-limits per client within one credential: a noisy Falco node does not get another refused', async () => {
    const noisy = await Promise.all(Array.from({ length: 60 }, () => postFrom('127.0.0.1', `${url}/events/s3cret`, falcoEvent())));
    expect(noisy.filter((status) => status === 429).length).to.be.greaterThan(0);
    // Another node, same path secret, different address: its Critical event is stored.
    expect(await postFrom('127.0.0.2', `${url}/events/s3cret`, falcoEvent({ priority: 'Critical' }))).to.equal(200);
  });

  it('answers 404 and 405 in the same JSON shape, without echoing a secret path', async () => {
    const notFound = await expectError(await fetch(`${url}/nowhere/at/all`), 404, 'FALX_ERR_NOT_FOUND');
    expect(notFound.message).to.contain('/nowhere');
    const method = await fetch(`${url}/events`);
    await expectError(method, 405, 'FALX_ERR_METHOD_NOT_ALLOWED');
    expect(method.headers.get('allow')).to.equal('POST');
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    await postEvent(`${url}/events`, falcoEvent(), auth);
    await postEvent(`${url}/events`, falcoEvent({ priority: 'nope' }), auth);
    expect(await (await fetch(`${url}/healthz`)).json()).to.deep.equal({ status: 'ok' });
    expect((await fetch(`${url}/readyz`)).status).to.equal(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).to.match(/^# TYPE falx_events_received_total counter$/m);
    expect(metrics).to.match(/^falx_events_received_total\{priority="Warning"\} 1$/m);
    expect(metrics).to.match(/^falx_events_rejected_total\{code="FALX_ERR_UNKNOWN_PRIORITY"\} 1$/m);
    expect(metrics).to.match(/^falx_ingest_duration_seconds_count 1$/m);
  });

  it('stops taking events once shutdown begins', async () => {
    const closing = router.close();
    await closing;
    let refused = false;
    try {
      await postEvent(`${url}/events`, falcoEvent(), auth);
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });
});
