/**
 * Property test of ingest over real HTTP: whatever the body (JSON of any shape, edits of a real
 * Falco event, values of every type in its fields, plain noise), the router answers 2xx or a 4xx
 * with a JSON error, never a 5xx, and stays healthy. Routes, a silence-like inhibition and glob
 * matchers run on every accepted event.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { startTestRouter, type TestRouter } from '../router/support/in-process.ts';
import { falcoEvent } from '../router/support/router-process.ts';
import { fuzzRun, mutationOf } from './arbitraries.ts';

const config = `
listen: { host: 127.0.0.1, port: 0 }
auth:
  tokens: [{ env: TOKEN }]
limits: { max_body: 64kb, rate_limit: { per_second: 100000, burst: 100000 } }
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route:
  receivers: [log]
  routes:
    - match: proc.cmdline glob "*a*a*a*a*a*b" or fd.name pmatch (/etc, /tmp) or k8s.ns.name in (prod, "kube-system")
      receivers: [log]
      continue: true
    - match: priority >= warning and tags intersects (shell) and proc.aname[2] startswith containerd
      receivers: [log]
`;

const eventJson = JSON.stringify(falcoEvent());
const fieldNames = ['proc.cmdline', 'fd.name', 'k8s.ns.name', 'proc.aname[2]', 'proc.name', 'user.uid', 'evt.time'];

const body: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)),
  mutationOf(eventJson, '{}[]":,\\0123456789-.e'),
  fc.record({ key: fc.constantFrom('rule', 'priority', 'output', 'time', 'tags', 'source', 'hostname', 'uuid', 'output_fields'), value: fc.jsonValue({ maxDepth: 3 }) }).map(({ key, value }) => JSON.stringify({ ...falcoEvent(), [key]: value })),
  fc.dictionary(fc.constantFrom(...fieldNames), fc.jsonValue({ maxDepth: 2 })).map((fields) => JSON.stringify(falcoEvent({}, fields))),
  fc.string({ maxLength: 300 }),
);

describe('fuzz/ingest (fast-check, real HTTP)', function () {
  this.timeout(30_000);
  let router: TestRouter;

  before(async () => {
    router = await startTestRouter(config, { TOKEN: 'tok' });
  });
  after(async () => {
    await router.dispose();
  });

  it('answers every body with 2xx or a 4xx JSON error, never a 5xx, and stays healthy', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const response = await fetch(`${router.url}/events`, { method: 'POST', headers: { authorization: 'Bearer tok', 'content-type': 'application/json' }, body: text });
        const reply = await response.text();
        expect(response.status, `${response.status} ${reply} for ${text}`).to.be.below(500);
        if (response.status >= 400) expect((JSON.parse(reply) as { code: string }).code).to.match(/^FALX_ERR_/);
      }),
      fuzzRun(300, 8),
    );
    expect((await fetch(`${router.url}/healthz`)).status).to.equal(200);
  });
});
