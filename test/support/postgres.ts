/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temp folder, a server on 127.0.0.1 at a
 * free port (its unix socket inside that folder), a superuser with a random password, removed when
 * the run ends. PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres`
 * user (Debian's package creates it) and every command runs through `runuser`.
 *
 * One cluster serves the whole run: it starts on first use (inside a hook, never while mocha loads
 * the files) and each suite gets a fresh database of its own. Where it cannot start (no server
 * binaries, no `postgres` user), suites are skipped with the reason in their title or printed;
 * under CI (`CI` set) they fail instead, because CI must run them.
 *
 * The server's durability settings (fsync, synchronous_commit) are left at their defaults, so a
 * commit costs what it costs in production; only initdb's own final sync of the new folder is
 * skipped (`--no-sync`), which changes nothing a test observes.
 */
import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** A running throwaway cluster. */
export interface ThrowawayCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** The superuser's password: tests check that it never shows in errors or logs. */
  readonly password: string;
  /** How long initdb and the server start took, in milliseconds. */
  readonly startMs: { readonly initdb: number; readonly server: number };
  /** A connection URL (password included) for `database`. */
  urlFor(database: string): string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
}

/** What a suite declared with `describeWithPostgres` gets: its own fresh database. */
export interface TestDatabase {
  readonly cluster: ThrowawayCluster;
  readonly name: string;
  /** The URL of the suite's database (password included). */
  readonly url: string;
}

/** Where the server binaries are, or why they cannot be used. */
type Binaries = { readonly ok: true; readonly initdb: string; readonly pgCtl: string } | { readonly ok: false; readonly reason: string };

interface Owner {
  /** Runs as this user through runuser; undefined to run as ourselves (not root). */
  readonly runAs: string | undefined;
  readonly uid: number | undefined;
  readonly gid: number | undefined;
}

interface Started {
  readonly cluster: ThrowawayCluster;
  readonly folder: string;
  readonly pgCtl: string;
  readonly dataDir: string;
  readonly owner: Owner;
}

/** Finds initdb and pg_ctl on PATH, else in Debian's /usr/lib/postgresql/<version>/bin (newest first). */
export function findServerBinaries(): Binaries {
  const fromPath = (name: string): string | undefined => {
    for (const dir of (process.env['PATH'] ?? '').split(':')) {
      if (dir !== '' && existsSync(join(dir, name))) return join(dir, name);
    }
    return undefined;
  };
  const initdb = fromPath('initdb');
  const pgCtl = fromPath('pg_ctl');
  if (initdb !== undefined && pgCtl !== undefined) return { ok: true, initdb, pgCtl };
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return { ok: true, initdb: join(bin, 'initdb'), pgCtl: join(bin, 'pg_ctl') };
  }
  return { ok: false, reason: 'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; .ci/run installs Debian\'s postgresql package' };
}

function ownerOfCluster(): Owner | string {
  if (process.getuid?.() !== 0) return { runAs: undefined, uid: undefined, gid: undefined };
  // PostgreSQL refuses to run as root: the cluster belongs to the `postgres` user.
  const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (ids.status !== 0 || gids.status !== 0) return 'running as root and there is no "postgres" user to own the cluster (Debian\'s postgresql package creates it)';
  return { runAs: 'postgres', uid: Number(ids.stdout.trim()), gid: Number(gids.stdout.trim()) };
}

/** A command line run as the cluster's owner. */
function asOwner(owner: Owner, command: string, args: readonly string[]): [string, string[]] {
  return owner.runAs === undefined ? [command, [...args]] : ['runuser', ['-u', owner.runAs, '--', command, ...args]];
}

function run(owner: Owner, cwd: string, command: string, args: readonly string[]): Promise<void> {
  const [file, argv] = asOwner(owner, command, args);
  // A clean environment: no PG* variables of the caller's reach the cluster's tools.
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LC_ALL: 'C' };
  return new Promise((resolve, reject) => {
    execFile(file, argv, { cwd, env, timeout: 60_000 }, (error, _stdout, stderr) => {
      if (error === null) resolve();
      else reject(new Error(`${command.split('/').pop() ?? command} failed: ${String(stderr).trim().split('\n').slice(-3).join(' ') || error.message}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function own(path: string, owner: Owner): void {
  if (owner.uid !== undefined && owner.gid !== undefined) chownSync(path, owner.uid, owner.gid);
}

async function startCluster(): Promise<Started> {
  const binaries = findServerBinaries();
  if (!binaries.ok) throw new Error(binaries.reason);
  const owner = ownerOfCluster();
  if (typeof owner === 'string') throw new Error(owner);
  const folder = mkdtempSync(join(tmpdir(), 'falx-pg-'));
  cleanupFolder = folder;
  own(folder, owner);
  const dataDir = join(folder, 'data');
  const socketDir = join(folder, 'socket');
  mkdirSync(socketDir);
  own(socketDir, owner);
  const user = 'falx_test';
  // Characters that a URL must percent-encode, so tests see a leak in either form.
  const password = `p@ss:${randomBytes(12).toString('hex')}/w%rd`;
  const passwordFile = join(folder, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  own(passwordFile, owner);

  const initStarted = performance.now();
  await run(owner, folder, binaries.initdb, ['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--no-locale', '--encoding=UTF8', '--no-sync']);
  rmSync(passwordFile);
  const initdbMs = performance.now() - initStarted;

  const serverStarted = performance.now();
  let port = 0;
  // A free port can be taken between the probe and the server's bind: try a few.
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${socketDir}`;
    try {
      await run(owner, folder, binaries.pgCtl, ['-D', dataDir, '-l', join(folder, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  const serverMs = performance.now() - serverStarted;
  const host = '127.0.0.1';
  const urlFor = (database: string): string => `postgres://${user}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
  const cluster: ThrowawayCluster = {
    host,
    port,
    user,
    password,
    startMs: { initdb: Math.round(initdbMs), server: Math.round(serverMs) },
    urlFor,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: urlFor('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return urlFor(name);
    },
  };
  return { cluster, folder, pgCtl: binaries.pgCtl, dataDir, owner };
}

let starting: Promise<Started> | undefined;
let started: Started | undefined;
/** The folder to remove at exit, known as soon as it exists (a start that fails half-way included). */
let cleanupFolder: string | undefined;
let exitHookInstalled = false;
let databases = 0;
let announced = false;

/** Starts the run's cluster on first call; later calls share it. */
export function throwawayCluster(): Promise<ThrowawayCluster> {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Whatever ends the run (an uncaught error, ^C), the server and its folder go with it.
    process.once('exit', stopClusterNow);
  }
  starting ??= startCluster().then((value) => {
    started = value;
    return value;
  });
  return starting.then((value) => value.cluster);
}

/** Stops the server (immediate shutdown: nothing in it is kept) and removes its folder. */
export async function stopCluster(): Promise<void> {
  const current = started;
  starting = undefined;
  started = undefined;
  if (current !== undefined) {
    await run(current.owner, current.folder, current.pgCtl, ['-D', current.dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  }
  removeFolder();
}

/** The synchronous form, for process exit. */
function stopClusterNow(): void {
  const current = started;
  started = undefined;
  if (current !== undefined) {
    const [file, argv] = asOwner(current.owner, current.pgCtl, ['-D', current.dataDir, '-m', 'immediate', '-w', 'stop']);
    spawnSync(file, argv, { cwd: current.folder, stdio: 'ignore', timeout: 30_000 });
  }
  removeFolder();
}

function removeFolder(): void {
  if (cleanupFolder !== undefined) rmSync(cleanupFolder, { recursive: true, force: true });
  cleanupFolder = undefined;
}

/** Why PostgreSQL tests cannot run here, known before starting anything (a look at the file system only). */
function unavailableReason(): string | undefined {
  const binaries = findServerBinaries();
  return binaries.ok ? undefined : binaries.reason;
}

function rootSuite(suite: Mocha.Suite): Mocha.Suite {
  let current = suite;
  while (current.parent !== undefined) current = current.parent;
  return current;
}

let rootHookInstalled = false;

/**
 * `describe` for a suite that needs PostgreSQL: before its tests, the run's cluster is started (or
 * shared) and a fresh database created for the suite; `database()` returns it inside tests and
 * hooks. Without server binaries the suite is registered as skipped with the reason in its title;
 * if the cluster then fails to start, its tests are skipped with the reason printed. With `CI`
 * set, either case fails the suite instead.
 */
export function describeWithPostgres(title: string, body: (this: Mocha.Suite, database: () => TestDatabase) => void): void {
  const reason = unavailableReason();
  const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
  if (reason !== undefined && !ci) {
    describe.skip(`${title} (skipped: ${reason})`, function () {
      body.call(this, () => {
        throw new Error(reason);
      });
    });
    return;
  }
  let current: TestDatabase | undefined;
  describe(title, function () {
    if (!rootHookInstalled) {
      rootHookInstalled = true;
      // One cluster for the whole run, stopped once every file's suites are done.
      rootSuite(this).afterAll('stop the throwaway PostgreSQL cluster', async function () {
        // Removing the cluster's folder (one database per suite and per fresh store) takes a while on a busy disk.
        this.timeout(120_000);
        await stopCluster();
      });
    }
    before(async function () {
      // initdb and the first start take a second or two on a busy machine.
      this.timeout(120_000);
      let cluster: ThrowawayCluster;
      try {
        cluster = await throwawayCluster();
      } catch (error) {
        const why = `PostgreSQL could not start: ${error instanceof Error ? error.message : String(error)}`;
        if (ci) throw new Error(`${why} (CI must run the PostgreSQL tests)`);
        process.stdout.write(`      skipped "${title}": ${why}\n`);
        this.skip();
      }
      if (!announced) {
        announced = true;
        process.stdout.write(`      (throwaway PostgreSQL on 127.0.0.1:${cluster.port}: initdb ${cluster.startMs.initdb} ms, server start ${cluster.startMs.server} ms)\n`);
      }
      databases += 1;
      const name = `falx_test_${process.pid}_${databases}`;
      current = { cluster, name, url: await cluster.createDatabase(name) };
    });
    body.call(this, () => {
      if (current === undefined) throw new Error('the suite\'s PostgreSQL database is not ready (used outside a test or hook?)');
      return current;
    });
  });
}
