/**
 * The webhook receiver against a stand-in HTTP(S) server on 127.0.0.1: the body's exact shape,
 * the HMAC signature checked with node:crypto on the bytes that arrived, configured headers from
 * secrets, the outcome of each kind of answer, and mutual TLS with certificates made by openssl.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Receiver } from '../../../src/router/receivers/receiver.ts';
import { haveOpenssl, makeCa, makeLeaf } from '../support/certificates.ts';
import { HttpStandIn, type StandInRequest } from '../support/http-stand-in.ts';
import { buildReceiver, eventNotification, groupNotification, hostileValues, neverAborted } from '../support/receiver-under-test.ts';

/** Verifies `X-Falx-Signature-256` as a receiving service would: HMAC of the raw bytes, compared in constant time. */
function signatureVerifies(request: StandInRequest, secret: string): boolean {
  const header = request.headers['x-falx-signature-256'];
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(request.raw).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('router/receivers webhook', function () {
  this.timeout(20_000);
  let standIn: HttpStandIn;
  const receivers: Receiver[] = [];

  beforeEach(async () => {
    standIn = new HttpStandIn();
    await standIn.start();
  });

  afterEach(async () => {
    for (const receiver of receivers.splice(0)) await receiver.close();
    await standIn.stop();
  });

  function webhook(extra = '', env: Record<string, string> = {}): Receiver {
    const receiver = buildReceiver(`{ name: under-test, type: webhook, url: "${standIn.url}/hooks/falx?team=sec", timeout: 2s${extra} }`, env);
    receivers.push(receiver);
    return receiver;
  }

  it('posts one event as JSON with the idempotency key, exactly in the documented shape', async () => {
    const notification = eventNotification();
    expect(await webhook().send(notification, neverAborted)).to.deep.equal({ ok: true });
    const [request] = standIn.requests;
    expect(request?.method).to.equal('POST');
    expect(request?.path).to.equal('/hooks/falx?team=sec');
    expect(request?.headers['content-type']).to.equal('application/json');
    expect(request?.headers['x-falx-idempotency-key']).to.equal('a1b2c3d4-0000-4000-8000-000000000001/root/under-test');
    expect(request?.headers['x-falx-signature-256'], 'no signature without hmac_secret').to.equal(undefined);
    expect(JSON.parse(request?.text ?? '')).to.deep.equal({
      version: 1,
      receiver: 'under-test',
      route: 'root',
      idempotency_key: 'a1b2c3d4-0000-4000-8000-000000000001/root/under-test',
      events: [
        {
          uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
          rule: 'Terminal shell in container',
          priority: 'Warning',
          time: '2026-11-21T17:15:03.434319636Z',
          source: 'syscall',
          hostname: 'node-1',
          tags: ['container', 'shell', 'mitre_execution'],
          output: '17:15:03.434319636: Warning A shell was spawned in a container (user=root shell=bash)',
          output_fields: {
            'container.name': 'web',
            'k8s.ns.name': 'prod',
            'k8s.pod.name': 'web-1',
            'proc.cmdline': 'bash -i',
            'proc.name': 'bash',
            'user.name': 'root',
            'user.uid': 0,
            'evt.time': 1795281303434319600,
            'proc.aname[2]': 'containerd-shim',
            'fd.name': null,
          },
        },
      ],
    });
  });

  it('posts a group notification with its counts and samples', async () => {
    expect(await webhook().send(groupNotification(1), neverAborted)).to.deep.equal({ ok: true });
    const body = JSON.parse(standIn.requests[0]?.text ?? '') as { group: unknown; events: { uuid: string }[]; idempotency_key: string };
    expect(body.group).to.deep.equal({
      key: 'root.0\u0000["Terminal shell in container","prod"]\u0000under-test',
      labels: { rule: 'Terminal shell in container', 'k8s.ns.name': 'prod' },
      seq: 1,
      count: 40,
      total: 120,
      first_seen: '2026-11-21T17:15:00.000Z',
      last_seen: '2026-11-21T17:15:30.000Z',
    });
    expect(body.events.map((event) => event.uuid)).to.deep.equal(['e-1', 'e-2']);
    expect(body.idempotency_key).to.equal('group/1/0/1/under-test');
  });

  it('signs the exact body bytes with hmac_secret; the signature verifies, and fails with another secret', async () => {
    const secret = 'whsec-0123456789';
    const before = Math.floor(Date.now() / 1000);
    // A multi-byte value: the signature covers the UTF-8 bytes sent, not a re-serialisation.
    expect(await webhook(', hmac_secret: { env: HOOK_SECRET }', { HOOK_SECRET: secret }).send(eventNotification({}, { 'proc.cmdline': 'écho "ünïcode" ✓' }), neverAborted)).to.deep.equal({ ok: true });
    const [request] = standIn.requests;
    if (request === undefined) throw new Error('no request');
    expect(request.headers['x-falx-signature-256']).to.match(/^sha256=[0-9a-f]{64}$/);
    expect(signatureVerifies(request, secret)).to.equal(true);
    expect(signatureVerifies(request, 'whsec-wrong')).to.equal(false);
    // One byte changed in transit: the signature no longer verifies.
    const tampered = { ...request, raw: Buffer.from(request.text.replace('node-1', 'node-2')) };
    expect(signatureVerifies(tampered, secret)).to.equal(false);
    const timestamp = Number(request.headers['x-falx-timestamp']);
    expect(timestamp).to.be.within(before, before + 5);
  });

  it('sends configured headers, secrets resolved, and never a secret in a failure detail', async () => {
    const receiver = webhook(', headers: { Authorization: { env: HOOK_TOKEN }, X-Team: security }', { HOOK_TOKEN: 'Bearer s3cr3t-token' });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.equal({ ok: true });
    expect(standIn.requests[0]?.headers['authorization']).to.equal('Bearer s3cr3t-token');
    expect(standIn.requests[0]?.headers['x-team']).to.equal('security');
    standIn.answer = () => ({ status: 401, body: '{"error":"bad token Bearer s3cr3t-token"}' });
    const result = await receiver.send(eventNotification(), neverAborted);
    expect(result).to.deep.include({ ok: false, retryable: false, reason: 'http_401' });
    const text = JSON.stringify(result);
    for (const leak of ['s3cr3t', 'team=sec', '/hooks/falx', 'error']) expect(text).to.not.contain(leak);
  });

  it('429 with Retry-After is transient with retryAfterMs (seconds or an HTTP date); 5xx transient; other 4xx permanent', async () => {
    const receiver = webhook();
    standIn.answer = () => ({ status: 429, headers: { 'retry-after': '7' } });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'rate_limited', retryAfterMs: 7000 });
    standIn.answer = () => ({ status: 503, headers: { 'retry-after': new Date(Date.now() + 30_000).toUTCString() } });
    const dated = await receiver.send(eventNotification(), neverAborted);
    expect(dated).to.deep.include({ ok: false, retryable: true, reason: 'http_503' });
    expect(dated.ok === false ? dated.retryAfterMs : undefined).to.be.within(27_000, 30_000);
    standIn.answer = () => ({ status: 500, body: 'internal' });
    const failed = await receiver.send(eventNotification(), neverAborted);
    expect(failed).to.deep.include({ ok: false, retryable: true, reason: 'http_500' });
    expect(failed.ok === false && failed.retryAfterMs).to.equal(undefined);
    for (const status of [400, 404, 410]) {
      standIn.answer = () => ({ status });
      expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: false, reason: `http_${status}` });
    }
    standIn.answer = () => ({ status: 408 });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'http_408' });
    standIn.answer = () => ({ status: 302, headers: { location: 'http://elsewhere/' } });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: false, reason: 'http_302' });
  });

  it('a hung destination is a transient timeout; shutdown aborts a send in flight; a closed port is a network error', async () => {
    const receiver = buildReceiver(`{ name: under-test, type: webhook, url: "${standIn.url}/", timeout: 300ms }`);
    receivers.push(receiver);
    standIn.answer = () => ({ hang: true });
    const started = Date.now();
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'timeout' });
    expect(Date.now() - started).to.be.below(2000);

    const slow = webhook();
    const shutdown = new AbortController();
    const sending = slow.send(eventNotification(), shutdown.signal);
    setTimeout(() => shutdown.abort(), 100);
    expect(await sending).to.deep.include({ ok: false, retryable: true, reason: 'aborted' });

    const url = standIn.url;
    await standIn.stop();
    const closed = buildReceiver(`{ name: under-test, type: webhook, url: "${url}/" }`);
    receivers.push(closed);
    const refused = await closed.send(eventNotification(), neverAborted);
    expect(refused).to.deep.include({ ok: false, retryable: true, reason: 'network' });
    expect(refused.ok === false && refused.detail).to.contain('ECONNREFUSED');
    standIn = new HttpStandIn();
    await standIn.start();
  });

  it('carries hostile event values as JSON strings, unchanged and inert', async () => {
    const fields = Object.fromEntries(hostileValues.map((value, index) => [`hostile.${index}`, value]));
    expect(await webhook().send(eventNotification({ output: hostileValues.join(' ') }, fields), neverAborted)).to.deep.equal({ ok: true });
    const text = standIn.requests[0]?.text ?? '';
    const body = JSON.parse(text) as { events: { output: string; output_fields: Record<string, unknown> }[] };
    expect(body.events[0]?.output).to.equal(hostileValues.join(' '));
    for (const [index, value] of hostileValues.entries()) expect(body.events[0]?.output_fields[`hostile.${index}`]).to.equal(value);
    // Inside JSON strings; no raw line break can split the body.
    expect(text).to.not.match(/[\r\n]/);
  });

  describe('mutual TLS', function () {
    let dir: string;
    let tlsStandIn: HttpStandIn;

    before(function () {
      if (!haveOpenssl()) this.skip();
      dir = mkdtempSync(join(tmpdir(), 'falx-webhook-tls-'));
      makeCa(dir, 'ca');
      makeCa(dir, 'other-ca');
      makeLeaf(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
      makeLeaf(dir, 'ca', 'falx-client', 'extendedKeyUsage=clientAuth\n');
      makeLeaf(dir, 'other-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
    });

    beforeEach(async () => {
      const file = (name: string): Buffer => readFileSync(join(dir, name));
      tlsStandIn = new HttpStandIn({ cert: file('server.crt'), key: file('server.key'), ca: file('ca.crt'), requestCert: true, rejectUnauthorized: true });
      await tlsStandIn.start();
    });

    afterEach(async () => {
      await tlsStandIn?.stop();
    });

    after(() => {
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    function tlsWebhook(tls: string): Receiver {
      const receiver = buildReceiver(`{ name: under-test, type: webhook, url: "${tlsStandIn.url}/", timeout: 3s, tls: ${tls} }`);
      receivers.push(receiver);
      return receiver;
    }

    it('delivers with the client certificate and key, and fails without one or with another CA\'s', async () => {
      const ca = `ca: { file: ${join(dir, 'ca.crt')} }`;
      const trusted = await tlsWebhook(`{ ${ca}, cert: { file: ${join(dir, 'falx-client.crt')} }, key: { file: ${join(dir, 'falx-client.key')} } }`).send(eventNotification(), neverAborted);
      expect(trusted).to.deep.equal({ ok: true });
      expect(tlsStandIn.delivered()).to.have.length(1);

      const anonymous = await tlsWebhook(`{ ${ca} }`).send(eventNotification(), neverAborted);
      expect(anonymous).to.deep.include({ ok: false, retryable: true, reason: 'network' });
      const stranger = await tlsWebhook(`{ ${ca}, cert: { file: ${join(dir, 'stranger.crt')} }, key: { file: ${join(dir, 'stranger.key')} } }`).send(eventNotification(), neverAborted);
      expect(stranger).to.deep.include({ ok: false, retryable: true, reason: 'network' });
      expect(tlsStandIn.delivered(), 'nothing delivered without a trusted certificate').to.have.length(1);
    });

    it('refuses a server its CA does not vouch for (no ca: the system store)', async () => {
      const result = await tlsWebhook(`{ cert: { file: ${join(dir, 'falx-client.crt')} }, key: { file: ${join(dir, 'falx-client.key')} } }`).send(eventNotification(), neverAborted);
      expect(result).to.deep.include({ ok: false, reason: 'network' });
      expect(result.ok === false && result.detail).to.match(/SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY/);
      expect(tlsStandIn.requests).to.have.length(0);
    });
  });
});
