/**
 * `falx deliveries list|retry` (the real CLI, a child process) against a running router whose email
 * receiver talks to a real SMTP server on 127.0.0.1 that refuses the first mails for good (550), so
 * their deliveries are dead: list them with their last error, retry one by id, then all.
 */
import { expect } from 'chai';
import { runFalx } from '../support/falx-cli.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { falcoEvent, postEvent, waitFor } from './support/router-process.ts';
import { SmtpCatcher } from './support/smtp-catcher.ts';

describe('falx deliveries (CLI against a running router)', function () {
  this.timeout(60_000);
  let router: TestRouter;
  let smtp: SmtpCatcher;
  let env: Record<string, string>;
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${router.url}/api${path}`, { headers: { authorization: 'Bearer api-token' } })).json()) as T;

  before(async () => {
    smtp = new SmtpCatcher();
    await smtp.start();
    smtp.refuseWith = 550;
    router = await startTestRouter(
      `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: TOKEN }, api_token: { env: API_TOKEN } }
storage: { path: STORAGE }
receivers:
  - name: email
    type: email
    from: "falx <falx@example.test>"
    to: [secops@example.test]
    smtp: { host: 127.0.0.1, port: ${smtp.port}, tls: none, timeout: 5s }
route: { receivers: [email] }
`,
      { TOKEN: 'ingest-token', API_TOKEN: 'api-token' },
    );
    env = { FALX_URL: router.url, FALX_API_TOKEN: 'api-token' };
    for (const rule of ['First', 'Second', 'Third']) expect((await postEvent(`${router.url}/events`, falcoEvent({ rule }), { authorization: 'Bearer ingest-token' })).status).to.equal(200);
    await waitFor(async () => (await api<{ deliveries: unknown[] }>('/deliveries?state=dead')).deliveries.length === 3, 20_000, 'three dead deliveries');
  });
  after(async () => {
    await router.dispose();
    await smtp.stop();
  });

  it('lists dead deliveries with their last error, retries one, then all, and they are sent', async () => {
    const listed = await runFalx(['deliveries', 'list', '--dead'], undefined, { env });
    expect(listed.code).to.equal(0);
    expect(listed.stdout.match(/^ +\d+ {2}dead +email {2}attempts 1 {2}updated /gm)).to.have.length(3);
    expect(listed.stdout).to.contain('last error: permanent error: SMTP 550').and.to.contain('Warning Third');
    const json = JSON.parse((await runFalx(['deliveries', 'list', '--state', 'dead', '--format', 'json'], undefined, { env })).stdout) as { id: number; event: { rule: string } }[];
    expect(json.map((d) => d.event.rule)).to.deep.equal(['Third', 'Second', 'First']);

    smtp.refuseWith = undefined;
    const one = await runFalx(['deliveries', 'retry', String(json[0]!.id)], undefined, { env });
    expect(one.code).to.equal(0);
    expect(one.stdout).to.equal(`${json[0]!.id} queued again\n`);
    await waitFor(() => smtp.mails.length === 1, 15_000, 'the retried mail');
    const again = await runFalx(['deliveries', 'retry', String(json[0]!.id)], undefined, { env });
    expect(again.code).to.equal(1);
    expect(again.stderr).to.match(/the router answered 409: Delivery \d+ is (pending|sent); only dead deliveries can be retried\./);

    const all = await runFalx(['deliveries', 'retry', '--all'], undefined, { env });
    expect(all.stdout).to.equal('2 dead deliveries queued again\n');
    await waitFor(() => smtp.mails.length === 3, 15_000, 'all mails');
    expect((await runFalx(['deliveries', 'list', '--dead'], undefined, { env })).stdout).to.equal('No dead deliveries.\n');
  });

  it('refuses without an API token, and says so when the router cannot be reached', async () => {
    const refused = await runFalx(['deliveries', 'list'], undefined, { env: { FALX_URL: router.url, FALX_API_TOKEN: 'ingest-token' } });
    expect(refused.code).to.equal(1);
    expect(refused.stderr).to.contain('falx deliveries: the router answered 401');
    const unreachable = await runFalx(['deliveries', 'list', '--url', 'http://127.0.0.1:1'], undefined, { env: {} });
    expect(unreachable.code).to.equal(2);
    expect(unreachable.stderr).to.contain('falx deliveries: cannot reach the router at http://127.0.0.1:1');
    expect((await runFalx(['deliveries', 'retry'], undefined, { env })).code).to.equal(2);
  });
});
