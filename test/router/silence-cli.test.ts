/**
 * `falx silence add|list|expire` against a running router over real HTTP (the CLI runs in this
 * process through `run(argv, io)` with captured output).
 */
import { expect } from 'chai';
import type { Io } from '../../src/cli/io.ts';
import { run } from '../../src/cli/run.ts';
import { falcoEvent, postEvent } from './support/router-process.ts';
import { startTestRouter, type TestRouter } from './support/in-process.ts';
import { describeEachStore } from './support/stores.ts';

async function falx(argv: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = { cwd: process.cwd(), env, isTTY: false, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), readStdin: async () => '' };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

describeEachStore('falx silence (CLI against a running router)', (store) => {
  let router: TestRouter;
  let env: Record<string, string>;

  before(async () => {
    router = await startTestRouter(
      `
listen: { host: 127.0.0.1, port: 0 }
auth: { token: { env: TOKEN } }
storage: { path: STORAGE }
receivers: [{ name: log, type: log }]
route: { receivers: [log] }
`,
      { TOKEN: 'cli-token' },
      store,
    );
    env = { FALX_URL: router.url, FALX_API_TOKEN: 'cli-token', USER: 'bob' };
  });
  after(async () => {
    await router.dispose();
  });

  it('adds, lists and expires a silence; reports a bad condition and a missing token', async () => {
    const added = await falx(['silence', 'add', '--match', 'k8s.ns.name = dev', '--duration', '2h', '--comment', 'noisy deploy'], env);
    expect(added.stderr).to.equal('');
    expect(added.code).to.equal(0);
    const id = added.stdout.trim();
    expect(id).to.match(/^[0-9a-f-]{36}$/);

    const muted = (await (await postEvent(`${router.url}/events`, falcoEvent({}, { 'k8s.ns.name': 'dev' }), { authorization: 'Bearer cli-token' })).json()) as { muted?: string };
    expect(muted.muted).to.equal('silence');

    const listed = await falx(['silence', 'list', '--state', 'active'], env);
    expect(listed.code).to.equal(0);
    expect(listed.stdout).to.contain(id).and.to.contain('active').and.to.contain('muted 1').and.to.contain('by bob').and.to.contain('k8s.ns.name = dev').and.to.contain('# noisy deploy');
    const json = await falx(['silence', 'list', '--format', 'json'], env);
    expect((JSON.parse(json.stdout) as { id: string; state: string }[]).map((s) => [s.id, s.state])).to.deep.equal([[id, 'active']]);

    const expired = await falx(['silence', 'expire', id], env);
    expect(expired.code).to.equal(0);
    expect(expired.stdout).to.equal(`${id} expired\n`);
    expect((await falx(['silence', 'list', '--state', 'active'], env)).stdout).to.equal('No silences.\n');

    const bad = await falx(['silence', 'add', '--match', 'k8s.ns.nmae = dev', '--duration', '1h', '--comment', 'typo'], env);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/answered 400: The condition is not valid: 1:1 FX\d{4}/);

    const anonymous = await falx(['silence', 'list'], { FALX_URL: router.url });
    expect(anonymous.code).to.equal(1);
    expect(anonymous.stderr).to.contain('401');

    const usage = await falx(['silence', 'add', '--match', 'rule = x', '--comment', 'c'], env);
    expect(usage.code).to.equal(2);
    expect(usage.stderr).to.contain('--duration or --end');
  });
});
