/**
 * A silence whose condition does not parse is refused with 400 and the located diagnostic, over
 * real HTTP with a real SQLite file: conditions that start with a quoted string holding a bad
 * escape (`"\x`) once made the checker throw, and the API answer 500.
 */
import { expect } from 'chai';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { describeEachStore } from './support/stores.ts';

const config = `
listen: { host: 127.0.0.1, port: 0 }
auth: { path_secret: { env: INGEST }, api_tokens: [{ env: API }] }
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`;

const headers = { authorization: 'Bearer api-token', 'content-type': 'application/json' };

describeEachStore('router silences API: conditions that do not parse', function (store) {
  this.timeout(20_000);
  let router: TestRouter;

  before(async () => {
    router = await startTestRouter(config, { INGEST: 'ingest-secret', API: 'api-token' }, store);
  });
  after(async () => {
    await router.dispose();
  });

  const create = async (condition: string): Promise<{ status: number; body: { code?: string; message?: string } }> => {
    const response = await fetch(`${router.url}/api/silences`, { method: 'POST', headers, body: JSON.stringify({ condition, duration: '1h', createdBy: 'test', comment: 'bad condition' }) });
    return { status: response.status, body: (await response.json()) as { code?: string; message?: string } };
  };

  it('answers 400 with the located syntax error for "\\x, "\\xZZ" and "\\u at the start, never 500', async () => {
    for (const condition of ['"\\x', '"\\xZZ" and rule = x', '"\\u', '"\\U0001"']) {
      const { status, body } = await create(condition);
      expect(status, `${condition}: ${JSON.stringify(body)}`).to.equal(400);
      expect(body.code, condition).to.equal('FALX_ERR_INVALID_SILENCE');
      expect(body.message, condition).to.match(/^The condition is not valid: 1:1 FX1001 Syntax error in condition: expected /);
    }
    const escape = await create('rule = "\\x"');
    expect(escape.status).to.equal(400);
    expect(escape.body.message).to.equal('The condition is not valid: 1:9 FX1002 Unsupported escape sequence "\\x" in a quoted string.');
    // Nothing of the refused ones was stored.
    const listed = (await (await fetch(`${router.url}/api/silences`, { headers })).json()) as { silences: unknown[] };
    expect(listed.silences).to.deep.equal([]);
  });
});
