/**
 * `falx serve --check` and `falx serve` validate the configuration on one path (child processes,
 * as CI and operators run them): whatever serve refuses at start, --check refuses with the same
 * diagnostics and exit code — secrets included — and one missing secret is reported once, where
 * it is written, without a cascade of "receiver not defined".
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';

describe('falx serve --check refuses what falx serve refuses (child process)', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-serve-check-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the configuration and runs `serve --check` and `serve` on it with `env` set. */
  async function both(name: string, lines: readonly string[], env: Record<string, string>): Promise<{ check: FalxResult; serve: FalxResult }> {
    writeFileSync(join(dir, name), [...lines, `storage: { path: ${join(dir, `${name}.sqlite`)} }`, ''].join('\n'));
    const check = await runFalx(['serve', '--check', '--config', name], dir, { env });
    // A serve that starts after all is stopped, and then fails the comparison below.
    const serve = await runFalx(['serve', '--config', name, '--listen', '127.0.0.1:0'], dir, { env, timeoutMs: 10_000 });
    return { check, serve };
  }

  function expectSameRefusal(results: { check: FalxResult; serve: FalxResult }): string {
    expect(results.check.code, results.check.stdout + results.check.stderr).to.equal(1);
    expect(results.check.stdout).to.not.contain('valid');
    expect(results.serve.code, results.serve.stdout + results.serve.stderr).to.equal(1);
    expect(results.check.stderr).to.equal(results.serve.stderr);
    return results.check.stderr;
  }

  const codesOf = (stderr: string): string[] => [...stderr.matchAll(/^\S+:(\d+):(\d+): error (FX\d{4})/gm)].map((m) => `${m[1]}:${m[2]} ${m[3]}`);

  it('an API token equal to an ingest token', async () => {
    const stderr = expectSameRefusal(
      await both(
        'reused-token.yaml',
        ['auth:', '  path_secret: { env: FALX_T_INGEST }', '  api_tokens: [{ env: FALX_T_API }]', 'receivers: [{ name: log, type: log }]', 'route: { receivers: [log] }'],
        { FALX_T_INGEST: 'same-value', FALX_T_API: 'same-value' },
      ),
    );
    expect(codesOf(stderr)).to.deep.equal(['3:16 FX7002']);
    expect(stderr).to.contain('An API token must differ from every ingest credential');
    expect(stderr).to.not.contain('same-value');
  });

  it('an environment variable of a secret that is not set (and valid once it is)', async () => {
    const stderr = expectSameRefusal(
      await both('unset-env.yaml', ['auth:', '  path_secret: { env: FALX_T_UNSET_SECRET }', 'receivers: [{ name: log, type: log }]', 'route: { receivers: [log] }'], {}),
    );
    expect(codesOf(stderr)).to.deep.equal(['2:16 FX7008']);
    expect(stderr).to.contain('Secret from env FALX_T_UNSET_SECRET is not available: environment variable FALX_T_UNSET_SECRET is not set.');
    const set = await runFalx(['serve', '--check', '--config', 'unset-env.yaml'], dir, { env: { FALX_T_UNSET_SECRET: 'ingest' } });
    expect(set).to.deep.include({ code: 0, stderr: '', stdout: `unset-env.yaml: valid (1 routes, 1 receivers; storage: SQLite ${join(dir, 'unset-env.yaml.sqlite')}, synchronous full).\n` });
  });

  it('a receiver\'s missing secret, once, at its location, without "receiver not defined" on the routes using it', async () => {
    const stderr = expectSameRefusal(
      await both(
        'missing-slack-token.yaml',
        [
          'receivers:',
          '  - { name: log, type: log }',
          '  - name: slack',
          '    type: slack',
          '    token: { env: FALX_T_SLACK_TOKEN }',
          '    channel: "#alerts"',
          'route:',
          '  receivers: [log]',
          '  routes:',
          '    - match: priority >= error',
          '      receivers: [slack]',
        ],
        {},
      ),
    );
    expect(codesOf(stderr)).to.deep.equal(['5:12 FX7008']);
    expect(stderr).to.not.contain('FX7004');
  });

  it('TLS material that the listener cannot load', async () => {
    writeFileSync(join(dir, 'not-a-certificate.pem'), 'not PEM at all\n');
    const pem = join(dir, 'not-a-certificate.pem');
    const stderr = expectSameRefusal(
      await both('bad-tls.yaml', ['listen:', `  tls: { cert: { file: ${pem} }, key: { file: ${pem} } }`, 'receivers: [{ name: log, type: log }]', 'route: { receivers: [log] }'], {}),
    );
    expect(codesOf(stderr)).to.deep.equal(['2:16 FX7002']);
    expect(stderr).to.contain('The TLS certificate and key in "listen" cannot be used:');
  });
});
