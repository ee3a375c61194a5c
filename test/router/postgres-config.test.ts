/**
 * `storage.postgres` in the router configuration: read like every other secret, checked with
 * diagnostics at their line and column, never quoting the URL (it holds the password); `falx
 * serve` says why it cannot start on a database it cannot reach, without the password, and
 * refuses `--storage FILE` beside it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Io } from '../../src/cli/io.ts';
import { run } from '../../src/cli/run.ts';
import { loadRouterConfig, type ConfigResult } from '../../src/router/config.ts';

const password = 'S3cr3t-p@ss';
const goodUrl = `postgres://falx:${encodeURIComponent(password)}@db.example:5432/falx?sslmode=verify-full`;

function configWith(storage: readonly string[]): string {
  return ['storage:', ...storage.map((line) => `  ${line}`), 'receivers: [{ name: log, type: log }]', 'route: { receivers: [log] }', ''].join('\n');
}

function load(text: string, env: Record<string, string>, files: Record<string, string> = {}): ConfigResult {
  return loadRouterConfig(text, 'router.yaml', {
    env,
    readFile: (path) => {
      const content = files[path];
      if (content === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return content;
    },
  });
}

function located(result: ConfigResult): string[] {
  return result.diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`);
}

async function runServe(dir: string, argv: string[], url: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { cwd: dir, env: { FALX_DATABASE_URL: url }, isTTY: false, stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), readStdin: async () => '' };
  const code = await run(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}

describe('router/config storage.postgres', () => {
  it('reads the URL from the environment, with a pool of 10 by default', () => {
    const result = load(configWith(['postgres:', '  url: { env: FALX_DATABASE_URL }']), { FALX_DATABASE_URL: goodUrl });
    expect(located(result)).to.deep.equal([]);
    const postgres = result.config?.storage.postgres;
    expect(postgres?.pool).to.equal(10);
    expect(postgres?.url === 'unresolved' ? undefined : postgres?.url.reveal()).to.equal(goodUrl);
    // The secret never prints its value.
    expect(JSON.stringify(result.config?.storage)).to.not.include(password);
  });

  it('reads the URL from a file, and the pool size', () => {
    const result = load(configWith(['postgres:', '  url: { file: /run/secrets/db-url }', '  pool: 25']), {}, { '/run/secrets/db-url': `${goodUrl}\n` });
    expect(located(result)).to.deep.equal([]);
    expect(result.config?.storage.postgres?.pool).to.equal(25);
  });

  it('leaves the URL unresolved when only checking the file (serve --check)', () => {
    const result = loadRouterConfig(configWith(['postgres:', '  url: { env: FALX_DATABASE_URL }']), 'router.yaml', undefined);
    expect(located(result)).to.deep.equal([]);
    expect(result.config?.storage.postgres).to.deep.equal({ url: 'unresolved', pool: 10 });
  });

  it('reports a URL that is not PostgreSQL\'s, or does not parse, at its line and column without quoting it', () => {
    const text = configWith(['postgres:', '  url: { env: FALX_DATABASE_URL }']);
    const wrongScheme = located(load(text, { FALX_DATABASE_URL: `mysql://falx:${password}@db/falx` }));
    expect(wrongScheme).to.deep.equal(['3:10 FX7014 The PostgreSQL URL from env FALX_DATABASE_URL cannot be used: it must start with postgres:// or postgresql://.']);
    const unparsable = located(load(text, { FALX_DATABASE_URL: `postgres://falx:${password}@db:port/falx` }));
    expect(unparsable).to.have.length(1);
    expect(unparsable[0]).to.match(/^3:10 FX7014 .*it is not a valid URL/);
    const missingCa = located(load(text, { FALX_DATABASE_URL: `postgres://falx:${password}@db/falx?sslmode=verify-full&sslrootcert=/nonexistent/ca.crt` }));
    expect(missingCa).to.deep.equal(['3:10 FX7014 The PostgreSQL URL from env FALX_DATABASE_URL cannot be used: the file /nonexistent/ca.crt it names (sslrootcert, sslcert or sslkey) cannot be read (ENOENT).']);
    for (const line of [...wrongScheme, ...unparsable, ...missingCa]) expect(line).to.not.include(password);
  });

  it('warns (FX7015) when a remote database would be reached without TLS or without checking its certificate', () => {
    const text = configWith(['postgres:', '  url: { env: FALX_DATABASE_URL }']);
    const warnings = (url: string): string[] => located(load(text, { FALX_DATABASE_URL: url }));
    const plain = warnings(`postgres://falx:${password}@db.example:5432/falx`);
    expect(plain).to.deep.equal([
      '3:10 FX7015 The router connects to postgres://falx@db.example:5432/falx without TLS: the password and every event cross the network in clear; add sslmode=verify-full to the URL.',
    ]);
    expect(warnings(`postgres://falx:${password}@db.example/falx?sslmode=disable`)).to.deep.equal(plain.map((line) => line.replace(':5432', '')));
    expect(warnings(`postgres://falx:${password}@db.example/falx?sslmode=no-verify`)[0]).to.match(/FX7015 .* with TLS but without checking the server's certificate \(sslmode=no-verify\)/);
    // Verified TLS, and local connections, are fine; node-postgres 8 verifies for require as for verify-full.
    for (const url of [goodUrl, `postgres://falx:${password}@db.example/falx?sslmode=require`, `postgres://falx:${password}@127.0.0.1:5432/falx`, `postgres://falx:${password}@localhost/falx`, 'postgres://falx@%2Fvar%2Frun%2Fpostgresql/falx']) {
      expect(warnings(url), url).to.deep.equal([]);
    }
  });

  it('makes serve --check name the database it would use, without the password, and print FX7015 as a warning (exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-pg-check-'));
    try {
      const file = join(dir, 'router.yaml');
      writeFileSync(file, configWith(['postgres: { url: { env: FALX_DATABASE_URL }, pool: 4 }']));
      const verified = await runServe(dir, ['serve', '--check', '--config', file], goodUrl);
      expect(verified).to.deep.equal({ code: 0, err: '', out: `${file}: valid (1 routes, 1 receivers; storage: PostgreSQL postgres://falx@db.example:5432/falx, pool 4).\n` });
      const plain = await runServe(dir, ['serve', '--check', '--config', file], `postgres://falx:${encodeURIComponent(password)}@db.example:5432/falx`);
      expect(plain.code).to.equal(0);
      expect(plain.err).to.match(/router\.yaml:2:20: warning FX7015: The router connects to postgres:\/\/falx@db\.example:5432\/falx without TLS/);
      expect(plain.out + plain.err).to.not.include(password).and.not.include(encodeURIComponent(password));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a missing variable, a missing url, a bad pool and an unknown key, each where it is', () => {
    expect(located(load(configWith(['postgres:', '  url: { env: FALX_DATABASE_URL }']), {}))).to.deep.equal([
      '3:10 FX7008 Secret from env FALX_DATABASE_URL is not available: environment variable FALX_DATABASE_URL is not set.',
    ]);
    const found = located(load(configWith(['postgres:', '  pool: 0', '  size: 3']), {}));
    expect(found).to.deep.equal([
      '3:5 FX7003 Missing required key "url" in "postgres" in "storage".',
      '3:11 FX7002 "pool" in "postgres" in "storage" must be a whole number from 1 to 1000.',
      '4:5 FX7001 Unknown key "size" in "postgres" in "storage". (Known keys: url, pool.)',
    ]);
  });

  it('refuses the SQLite settings beside it, which it would silently ignore', () => {
    const found = located(load(configWith(['path: /var/lib/falx/outbox.sqlite', 'synchronous: normal', 'postgres: { url: { env: FALX_DATABASE_URL } }']), { FALX_DATABASE_URL: goodUrl }));
    expect(found).to.deep.equal([
      '2:9 FX7002 "path" in "storage" configures the SQLite store, which "postgres" replaces; remove one of them.',
      '3:16 FX7002 "synchronous" in "storage" configures the SQLite store, which "postgres" replaces; remove one of them.',
    ]);
  });

  it('makes falx serve say why it cannot start on an unreachable database, without the password, and refuses --storage beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-pg-config-'));
    try {
      const file = join(dir, 'router.yaml');
      writeFileSync(file, configWith(['postgres: { url: { env: FALX_DATABASE_URL } }']).replace('route:', 'listen: { port: 0 }\nroute:'));
      // Port 1 on the loopback: nothing listens, the connection is refused at once.
      const unreachable = `postgres://falx:${encodeURIComponent(password)}@127.0.0.1:1/falx?sslmode=disable`;
      const run1 = await runServe(dir, ['serve', '--config', file], unreachable);
      expect(run1.code).to.equal(2);
      expect(run1.err).to.match(/falx serve: cannot start: PostgreSQL \(postgres:\/\/falx@127\.0\.0\.1:1\/falx\): .*ECONNREFUSED/);
      expect(run1.out + run1.err).to.not.include(password);
      const run2 = await runServe(dir, ['serve', '--config', file, '--storage', join(dir, 'x.sqlite')], unreachable);
      expect(run2.code).to.equal(2);
      expect(run2.err).to.include('--storage sets the SQLite file, but the configuration uses "postgres" in "storage"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
