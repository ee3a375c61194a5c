/**
 * The PostgreSQL store's foundations against a real server (a throwaway cluster, see
 * test/support/postgres.ts): schema migrations under the advisory lock, the password kept out of
 * errors and logs, and the claims that let several replicas share one database (delivery leases,
 * group timers, cluster-wide pacing) without handing the same row to two of them.
 */
import { createServer } from 'node:net';
import { inspect } from 'node:util';
import { expect } from 'chai';
import { systemClock } from '../../src/router/clock.ts';
import { createJsonLogger } from '../../src/router/logger.ts';
import { claimDueDeliveries, claimDueGroupTimers, type ClaimedDelivery } from '../../src/router/store/postgres/leases.ts';
import { migrate } from '../../src/router/store/postgres/migrate.ts';
import { migrations } from '../../src/router/store/postgres/migrations/all.ts';
import { pauseDestination, takePacingSlot } from '../../src/router/store/postgres/pacing-slots.ts';
import { PostgresPool, PostgresStoreError } from '../../src/router/store/postgres/pool.ts';
import { describeWithPostgres, type TestDatabase } from '../support/postgres.ts';

/** A pool whose log lines are kept, to check what they say. */
function openPool(url: string, lines: string[] = [], size = 4): PostgresPool {
  return new PostgresPool({ url, size, logger: createJsonLogger((line) => void lines.push(line), systemClock, 'debug'), connectTimeoutMs: 5_000 });
}

/** Every form in which a password could leak into text. */
function leakForms(password: string): string[] {
  return [password, encodeURIComponent(password)];
}

function expectNoPassword(text: string, password: string, what: string): void {
  for (const form of leakForms(password)) expect(text.includes(form), `${what} shows the password: ${text}`).to.equal(false);
}

/** The suite's URL with a port where nothing listens (one just free on 127.0.0.1). */
async function closedPortUrl(database: TestDatabase): Promise<string> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
  const url = new URL(database.url);
  url.port = String(port);
  return url.toString();
}

const now = 1_700_000_000_000;

/** Stores `count` pending deliveries to `receiver`, one event each; returns their ids. */
async function seedDeliveries(pool: PostgresPool, receiver: string, count: number, prefix: string): Promise<number[]> {
  const rows = await pool.query<{ id: number }>(
    `WITH stored AS (
       INSERT INTO events (uuid, received_at, body, body_hash)
       SELECT $1 || n, $2, '{"rule":"r"}', 'h' FROM generate_series(1, $3::int) AS n
       RETURNING id, uuid
     )
     INSERT INTO deliveries (event_id, receiver, route, idempotency_key, state, next_attempt_at, expires_at, created_at, updated_at)
     SELECT id, $4, 'root', uuid || '/root/' || $4, 'pending', $2, $2 + 86400000, $2, $2 FROM stored
     RETURNING id`,
    [prefix, now, count, receiver],
  );
  return rows.rows.map((row) => row.id).sort((a, b) => a - b);
}

describeWithPostgres('router/store/postgres', function (database) {
  const pools: PostgresPool[] = [];
  const track = (pool: PostgresPool): PostgresPool => {
    pools.push(pool);
    return pool;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });
  before(async () => {
    const pool = openPool(database().url);
    try {
      await migrate(pool, { logger: createJsonLogger(() => undefined, systemClock) });
    } finally {
      await pool.close();
    }
  });

  describe('schema migrations', () => {
    const lines: string[] = [];
    /** A database of their own: the suite's is migrated before any test. */
    let empty: { url: string; name: string };
    before(async () => {
      const name = `${database().name}_migrations`;
      empty = { url: await database().cluster.createDatabase(name), name };
    });

    it('apply every migration to an empty database and record each in schema_migrations', async () => {
      const pool = track(openPool(empty.url, lines));
      const first = await migrate(pool, { logger: createJsonLogger((line) => void lines.push(line), systemClock, 'debug') });
      expect(first).to.deep.equal({ applied: migrations.map((m) => m.version), version: migrations.length, newerThanKnown: false });
      const tables = await pool.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`);
      expect(tables.rows.map((row) => row.table_name)).to.deep.equal(['deliveries', 'event_mutes', 'events', 'groups', 'inhibitions', 'notification_log', 'pacing', 'schema_migrations', 'silences']);
      const indexes = await pool.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`);
      expect(indexes.rows.map((row) => row.indexname)).to.include.members(['deliveries_receiver_due', 'deliveries_group', 'events_uuid_once', 'deliveries_idempotency_once', 'groups_due', 'groups_key_once']);
      const recorded = await pool.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(recorded.rows).to.deep.equal(migrations.map((m) => ({ version: m.version, name: m.name })));
    });

    it('store a uuid once cluster-wide: a second insert of it is refused by the database', async () => {
      const pool = track(openPool(empty.url));
      await pool.query(`INSERT INTO events (uuid, received_at, body) VALUES ('once', 1, '{}')`);
      const second = await pool.query(`INSERT INTO events (uuid, received_at, body) VALUES ('once', 2, '{}')`).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(second).to.be.instanceOf(PostgresStoreError);
      expect((second as PostgresStoreError).code).to.equal('23505');
    });

    it('do nothing on a second run', async () => {
      const pool = track(openPool(empty.url, lines));
      const again = await migrate(pool, { logger: createJsonLogger((line) => void lines.push(line), systemClock, 'debug') });
      expect(again).to.deep.equal({ applied: [], version: migrations.length, newerThanKnown: false });
      const count = await pool.query<{ count: number }>('SELECT COUNT(*) AS count FROM schema_migrations');
      expect(count.rows[0]?.count).to.equal(migrations.length);
      expect(lines.filter((line) => line.includes('database schema migrated'))).to.have.length(1);
    });

    it('log the database without its password', () => {
      const migrated = lines.find((line) => line.includes('database schema migrated'));
      expect(migrated, lines.join('')).to.include(`"database":"postgres://${database().cluster.user}@127.0.0.1:${database().cluster.port}/${empty.name}"`);
      expectNoPassword(lines.join(''), database().cluster.password, 'the log');
    });

    it('end with one schema and no error when three replicas start on an empty database at once', async () => {
      const url = await database().cluster.createDatabase(`${database().name}_concurrent`);
      const lines: string[] = [];
      const logger = createJsonLogger((line) => void lines.push(line), systemClock, 'debug');
      const starters = [1, 2, 3].map(() => track(openPool(url, lines, 2)));
      const results = await Promise.all(starters.map((pool) => migrate(pool, { logger })));
      // Exactly one replica applied the migrations; the others found the schema up to date.
      expect(results.map((result) => result.applied.length).sort()).to.deep.equal([0, 0, migrations.length]);
      expect(results.every((result) => result.version === migrations.length)).to.equal(true);
      const recorded = await starters[0]?.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(recorded?.rows.map((row) => row.version)).to.deep.equal(migrations.map((m) => m.version));
      expect(lines.filter((line) => line.includes('database schema migrated'))).to.have.length(1);
    });

    it('report a database migrated further by a newer falx, and run on it', async () => {
      const pool = track(openPool(empty.url));
      const lines: string[] = [];
      const logger = createJsonLogger((line) => void lines.push(line), systemClock, 'debug');
      const newer = [...migrations, { version: migrations.length + 1, name: 'a newer falx adds a column', sql: 'ALTER TABLE silences ADD COLUMN matchers TEXT' }];
      await migrate(pool, { logger, migrations: newer });
      const result = await migrate(pool, { logger });
      expect(result).to.deep.equal({ applied: [], version: migrations.length + 1, newerThanKnown: true });
      expect(lines.some((line) => line.includes('newer than this falx knows'))).to.equal(true, lines.join(''));
    });

    it('leave the database at the previous version when a migration fails, and say which', async () => {
      const pool = track(openPool(empty.url));
      // Version n+1 is the one the previous test applied; n+2 fails half-way.
      const broken = [
        ...migrations,
        { version: migrations.length + 1, name: 'a newer falx adds a column', sql: 'ALTER TABLE silences ADD COLUMN matchers TEXT' },
        { version: migrations.length + 2, name: 'broken', sql: 'CREATE TABLE half_done (id INT); SELECT * FROM no_such_table' },
      ];
      const error = await migrate(pool, { logger: createJsonLogger(() => undefined, systemClock), migrations: broken }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(PostgresStoreError);
      expect((error as Error).message).to.match(new RegExp(`schema migration ${migrations.length + 2} \\(broken\\) failed: .*no_such_table`));
      const tables = await pool.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
      expect(tables.rowCount).to.equal(0);
    });
  });

  describe('the password', () => {
    it('is not in the error of a connection to a port where nothing listens, nor in its log', async () => {
      const lines: string[] = [];
      const pool = track(openPool(await closedPortUrl(database()), lines));
      const error = await pool.query('SELECT 1').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(PostgresStoreError);
      const failure = error as PostgresStoreError;
      expect(failure.code).to.equal('ECONNREFUSED');
      expect(failure.message).to.include(`postgres://${database().cluster.user}@127.0.0.1:`);
      expect(failure.message).to.include('ECONNREFUSED');
      expect(failure.cause).to.equal(undefined);
      for (const text of [failure.message, String(failure.stack), inspect(failure, { depth: 10 }), JSON.stringify(failure), inspect(pool, { depth: 10 })]) expectNoPassword(text, database().cluster.password, 'the error');
      const migrating = await migrate(pool, { logger: createJsonLogger((line) => void lines.push(line), systemClock, 'debug') }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(migrating).to.be.instanceOf(PostgresStoreError);
      expectNoPassword(inspect(migrating, { depth: 10 }), database().cluster.password, 'the migration error');
      expectNoPassword(lines.join(''), database().cluster.password, 'the log');
    });

    it('is not in the error of a refused login (wrong password), nor is the wrong one', async () => {
      const wrong = `Wr0ng:p@ss/${database().cluster.password.slice(-6)}`;
      const url = new URL(database().url);
      url.password = encodeURIComponent(wrong);
      const pool = track(openPool(url.toString()));
      const error = await pool.query('SELECT 1').then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).to.be.instanceOf(PostgresStoreError);
      expect((error as PostgresStoreError).code).to.equal('28P01');
      expect((error as Error).message).to.include('password authentication failed');
      expectNoPassword(inspect(error, { depth: 10 }), wrong, 'the error');
    });

    it('is not in the error for a URL that does not parse, nor in one that quotes the URL', () => {
      const password = database().cluster.password;
      const unparsable = `postgres://falx:${password}@127.0.0.1:notaport/db`;
      let error: unknown;
      try {
        openPool(unparsable);
      } catch (caught) {
        error = caught;
      }
      expect(error).to.be.instanceOf(PostgresStoreError);
      expect((error as Error).message).to.include('the PostgreSQL URL cannot be used: it is not a valid URL');
      expectNoPassword(inspect(error, { depth: 10 }), password, 'the error');
      // A driver message that quotes the URL, in any encoding, comes out redacted.
      const pool = track(openPool(database().url));
      const quoted = pool.surface(new Error(`cannot reach ${database().url} (password ${password}, ${encodeURIComponent(password)}) or postgresql://other:hunter2@db/x`));
      expectNoPassword(quoted.message, password, 'the redacted message');
      expect(quoted.message).to.include('postgresql://other:***@db/x');
    });
  });

  describe('claims', () => {
    it('hand a due delivery to one replica only when several claim at once (FOR UPDATE SKIP LOCKED)', async () => {
      const replicas = [track(openPool(database().url, [], 4)), track(openPool(database().url, [], 4))];
      const seeded = await seedDeliveries(replicas[0] as PostgresPool, 'slack-race', 300, 'race-');
      const claimed: { replica: string; delivery: ClaimedDelivery }[] = [];
      // Four claimers per replica, each taking small batches until nothing is left.
      const loops = replicas.flatMap((pool, index) =>
        [0, 1, 2, 3].map(async () => {
          for (;;) {
            const batch = await claimDueDeliveries(pool, 'slack-race', { replica: `replica-${index}`, now, leaseMs: 60_000, limit: 3 });
            if (batch.length === 0) return;
            for (const delivery of batch) claimed.push({ replica: `replica-${index}`, delivery });
          }
        }),
      );
      await Promise.all(loops);
      const ids = claimed.map((entry) => entry.delivery.id);
      expect(new Set(ids).size, 'a row was claimed twice').to.equal(ids.length);
      expect([...ids].sort((a, b) => a - b)).to.deep.equal(seeded);
      // Both replicas got work: the claims really ran side by side.
      expect(new Set(claimed.map((entry) => entry.replica)).size).to.equal(2);
      const stamped = await replicas[0]?.query<{ claimed_by: string; lease_until: number }>(`SELECT claimed_by, lease_until FROM deliveries WHERE receiver = 'slack-race'`);
      expect(stamped?.rows.every((row) => row.claimed_by.startsWith('replica-') && row.lease_until === now + 60_000)).to.equal(true);
      const first = claimed[0]?.delivery;
      expect(first?.eventJson).to.equal('{"rule":"r"}');
      expect(first?.receiver).to.equal('slack-race');
    });

    it('leave a dead replica\'s claims alone until the lease ends, then hand them to another', async () => {
      const [a, b] = [track(openPool(database().url)), track(openPool(database().url))];
      const seeded = await seedDeliveries(a, 'slack-lease', 5, 'lease-');
      expect((await claimDueDeliveries(a, 'slack-lease', { replica: 'a', now, leaseMs: 30_000, limit: 10 })).map((d) => d.id)).to.deep.equal(seeded);
      // Replica a "dies": its claims hold for the lease, then b takes them over with the same keys.
      expect(await claimDueDeliveries(b, 'slack-lease', { replica: 'b', now: now + 29_999, leaseMs: 30_000, limit: 10 })).to.deep.equal([]);
      const takenOver = await claimDueDeliveries(b, 'slack-lease', { replica: 'b', now: now + 30_000, leaseMs: 30_000, limit: 10 });
      expect(takenOver.map((d) => d.id)).to.deep.equal(seeded);
      expect(takenOver.map((d) => d.idempotencyKey)).to.deep.equal(seeded.map((_, index) => `lease-${index + 1}/root/slack-lease`));
    });

    it('claim a group\'s deliveries to a receiver one at a time, in order', async () => {
      const pool = track(openPool(database().url));
      const event = await pool.query<{ id: number }>(`INSERT INTO events (uuid, received_at, body) VALUES ('group-lead', $1, '{}') RETURNING id`, [now]);
      const eventId = event.rows[0]?.id;
      for (const seq of [1, 0, 2]) {
        await pool.query(
          `INSERT INTO deliveries (event_id, receiver, route, idempotency_key, state, next_attempt_at, expires_at, created_at, updated_at, payload, group_key, seq)
           VALUES ($1, 'slack-thread', 'root', $2, 'pending', $3::bigint, $3::bigint + 1000, $3::bigint, $3::bigint, '{}', '7', $4)`,
          [eventId, `group/7/0/${seq}/slack-thread`, now, seq],
        );
      }
      const first = await claimDueDeliveries(pool, 'slack-thread', { replica: 'a', now, leaseMs: 10_000, limit: 10 });
      expect(first.map((d) => d.idempotencyKey)).to.deep.equal(['group/7/0/0/slack-thread']);
      // Still pending (claimed, in flight): the next update waits for it, on every replica.
      expect(await claimDueDeliveries(pool, 'slack-thread', { replica: 'b', now: now + 20_000, leaseMs: 10_000, limit: 10 })).to.have.length(1);
      await pool.query(`UPDATE deliveries SET state = 'sent', claimed_by = NULL, lease_until = NULL WHERE idempotency_key = 'group/7/0/0/slack-thread'`);
      const next = await claimDueDeliveries(pool, 'slack-thread', { replica: 'b', now: now + 20_000, leaseMs: 10_000, limit: 10 });
      expect(next.map((d) => d.idempotencyKey)).to.deep.equal(['group/7/0/1/slack-thread']);
    });

    it('give each due group timer to one replica, and keep it there while the lease runs', async () => {
      const pool = track(openPool(database().url, [], 8));
      await pool.query(
        `INSERT INTO groups (group_key, route, labels, receivers, first_seen, last_seen, next_flush_at)
         SELECT 'timer-' || n, 'root', '{}', '[]', $1::bigint, $1::bigint, $1::bigint + n FROM generate_series(1, 40) AS n`,
        [now],
      );
      const at = now + 100;
      // Each replica claims in its own transaction, as a flush does, all at once.
      const claims = await Promise.all(
        ['a', 'b', 'c'].map((replica) => pool.transaction((client) => claimDueGroupTimers(client, { replica, now: at, leaseMs: 5_000, limit: 15 }))),
      );
      const ids = claims.flat().map((group) => group.id);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids).to.have.length(40);
      // Held: no other replica takes them before the lease ends; the holder may renew its own.
      expect(await claimDueGroupTimers(pool, { replica: 'd', now: at + 4_999, leaseMs: 5_000, limit: 100 })).to.deep.equal([]);
      const renewed = await claimDueGroupTimers(pool, { replica: 'a', now: at + 4_999, leaseMs: 5_000, limit: 100 });
      expect(renewed.map((group) => group.id).sort((x, y) => x - y)).to.deep.equal(claims[0]?.map((group) => group.id));
      expect(await claimDueGroupTimers(pool, { replica: 'd', now: at + 5_000, leaseMs: 5_000, limit: 100 })).to.have.length(40 - renewed.length);
    });
  });

  describe('pacing across replicas', () => {
    it('lets three replicas together send one message per interval to a channel, and holds all of them on a Retry-After', async () => {
      const replicas = [0, 1, 2].map(() => track(openPool(database().url, [], 2)));
      const channel = 'slack https://slack.test/api/ C-PACE';
      const pace = { perSecond: 1, burst: 1 };
      const round = async (at: number): Promise<boolean[]> => (await Promise.all(replicas.map((pool) => takePacingSlot(pool, channel, pace, at)))).map((decision) => decision.ok);
      expect((await round(now)).filter(Boolean)).to.have.length(1);
      expect((await round(now + 500)).filter(Boolean)).to.have.length(0);
      expect((await round(now + 1000)).filter(Boolean)).to.have.length(1);
      const waiting = await takePacingSlot(replicas[2] as PostgresPool, channel, pace, now + 1200);
      expect(waiting).to.deep.equal({ ok: false, retryAfterMs: 800 });
      // One replica is told Retry-After: 30; none sends before then.
      await pauseDestination(replicas[0] as PostgresPool, channel, now + 31_000, now + 1000);
      expect(await takePacingSlot(replicas[1] as PostgresPool, channel, pace, now + 10_000)).to.deep.equal({ ok: false, retryAfterMs: 21_000 });
      expect((await round(now + 31_000)).filter(Boolean)).to.have.length(1);
    });

    it('allows the burst, then the rate', async () => {
      const pool = track(openPool(database().url));
      const pace = { perSecond: 2, burst: 3 };
      const taken = [];
      for (let i = 0; i < 5; i += 1) taken.push((await takePacingSlot(pool, 'burst', pace, now)).ok);
      expect(taken).to.deep.equal([true, true, true, false, false]);
      expect(await takePacingSlot(pool, 'burst', pace, now + 499)).to.deep.equal({ ok: false, retryAfterMs: 1 });
      expect((await takePacingSlot(pool, 'burst', pace, now + 500)).ok).to.equal(true);
    });
  });
});
