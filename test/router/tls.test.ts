/**
 * TLS and mutual TLS on the listener, with certificates made at test time by the `openssl` CLI
 * (node's crypto cannot sign X.509): a throwaway CA signs the server's and a client's certificate,
 * and a second CA signs a client certificate the router must not trust.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { haveOpenssl, makeCa, makeLeaf } from './support/certificates.ts';
import { falcoEvent } from './support/router-process.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';

interface Outcome {
  readonly status?: number;
  readonly error?: string;
}

/** Posts an event over HTTPS, trusting the test CA, optionally with a client certificate. */
function post(url: string, dir: string, client: string | undefined, headers: Record<string, string> = {}): Promise<Outcome> {
  const body = JSON.stringify(falcoEvent());
  return new Promise((resolve) => {
    const req = request(
      `${url}/events`,
      {
        method: 'POST',
        agent: false,
        ca: readFileSync(join(dir, 'ca.crt')),
        ...(client !== undefined ? { cert: readFileSync(join(dir, `${client}.crt`)), key: readFileSync(join(dir, `${client}.key`)) } : {}),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        timeout: 5000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0 }));
        response.on('error', (error) => resolve({ error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(body);
  });
}

describe('router TLS and client certificates', function () {
  this.timeout(30_000);
  let dir: string;
  let router: TestRouter | undefined;

  before(function () {
    if (!haveOpenssl()) {
      // The certificates need a signer; node's crypto has none for X.509.
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'falx-tls-'));
    makeCa(dir, 'ca');
    makeCa(dir, 'other-ca');
    makeLeaf(dir, 'ca', 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    makeLeaf(dir, 'ca', 'falco-client', 'extendedKeyUsage=clientAuth\n');
    makeLeaf(dir, 'other-ca', 'stranger', 'extendedKeyUsage=clientAuth\n');
  });

  afterEach(async () => {
    await router?.dispose();
    router = undefined;
  });

  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts a client certificate from the configured CA and refuses none or another CA', async () => {
    router = await startTestRouter(`
listen:
  host: 127.0.0.1
  port: 0
  tls:
    cert: { file: ${join(dir, 'server.crt')} }
    key: { file: ${join(dir, 'server.key')} }
    client_ca: { file: ${join(dir, 'ca.crt')} }
    require_client_cert: true
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`);
    expect(router.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);

    const trusted = await post(router.url, dir, 'falco-client');
    expect(trusted.error, 'a valid client certificate').to.equal(undefined);
    expect(trusted.status).to.equal(200);

    const anonymous = await post(router.url, dir, undefined);
    expect(anonymous.status, 'no client certificate').to.equal(undefined);
    expect(anonymous.error).to.be.a('string');

    const stranger = await post(router.url, dir, 'stranger');
    expect(stranger.status, 'a certificate from another CA').to.equal(undefined);
    expect(stranger.error).to.be.a('string');

    // Only the accepted request was stored and logged.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(router.lines.filter((line) => line.includes('"falco event"'))).to.have.length(1);
  });

  it('with optional client certificates, takes a trusted certificate or a token, and nothing else', async () => {
    router = await startTestRouter(
      `
listen:
  host: 127.0.0.1
  port: 0
  tls:
    cert: { file: ${join(dir, 'server.crt')} }
    key: { file: ${join(dir, 'server.key')} }
    client_ca: { file: ${join(dir, 'ca.crt')} }
    require_client_cert: false
auth: { token: { env: TOKEN } }
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`,
      { TOKEN: 'tls-token' },
    );
    expect((await post(router.url, dir, 'falco-client')).status, 'a trusted certificate').to.equal(200);
    expect((await post(router.url, dir, undefined, { authorization: 'Bearer tls-token' })).status, 'a token, no certificate').to.equal(200);
    expect((await post(router.url, dir, undefined)).status, 'neither').to.equal(401);
    // The handshake succeeds (the certificate is optional) but an untrusted one authenticates nobody.
    expect((await post(router.url, dir, 'stranger')).status, 'a certificate from another CA').to.equal(401);
  });
});
