/**
 * The stores the router's tests run against, from one list: a test written once with
 * `describeEachStore` runs on the embedded SQLite file and on PostgreSQL (a throwaway cluster,
 * skipped with the reason where it cannot start). Each `fresh()` storage is empty: a new SQLite
 * file or a new database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describeWithPostgres, type TestDatabase } from '../../support/postgres.ts';

/** One empty storage for a test: what goes under `storage:` in the YAML, and the env it reads. */
export interface TestStorage {
  /** A flow mapping for `storage:`, e.g. `{ path: /tmp/…/outbox.sqlite }`. */
  readonly yaml: string;
  readonly env: Readonly<Record<string, string>>;
  /** How many events are stored, read back from the storage itself. */
  eventCount(): Promise<number>;
  dispose(): Promise<void>;
}

export interface StoreUnderTest {
  readonly kind: 'sqlite' | 'postgres';
  fresh(): Promise<TestStorage>;
}

const sqlite: StoreUnderTest = {
  kind: 'sqlite',
  async fresh() {
    const dir = mkdtempSync(join(tmpdir(), 'falx-store-'));
    const path = join(dir, 'outbox.sqlite');
    return {
      yaml: `{ path: ${path}, synchronous: normal }`,
      env: {},
      async eventCount() {
        const db = new Database(path, { readonly: true });
        try {
          return (db.prepare('SELECT COUNT(*) AS count FROM events').get() as { count: number }).count;
        } finally {
          db.close();
        }
      },
      async dispose() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

let databases = 0;

/** A fresh database on the suite's throwaway cluster for each `fresh()`. */
function postgres(database: () => TestDatabase): StoreUnderTest {
  return {
    kind: 'postgres',
    async fresh() {
      databases += 1;
      const { cluster } = database();
      const name = `falx_store_${process.pid}_${databases}`;
      const url = await cluster.createDatabase(name);
      return {
        yaml: '{ postgres: { url: { env: FALX_TEST_DATABASE_URL }, pool: 4 } }',
        env: { FALX_TEST_DATABASE_URL: url },
        async eventCount() {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            return Number((await client.query<{ count: string }>('SELECT COUNT(*) AS count FROM events')).rows[0]?.count);
          } finally {
            await client.end();
          }
        },
        async dispose() {
          // Dropped at once: a run creates dozens, and their files would otherwise pile up until the cluster stops.
          const client = new pg.Client({ connectionString: cluster.urlFor('postgres') });
          await client.connect();
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          } finally {
            await client.end();
          }
        },
      };
    },
  };
}

/** Declares `body`'s suite once per store, titled `title [store]`; PostgreSQL's is skipped with the reason where it cannot start. */
export function describeEachStore(title: string, body: (this: Mocha.Suite, store: StoreUnderTest) => void): void {
  describe(`${title} [sqlite]`, function () {
    body.call(this, sqlite);
  });
  describeWithPostgres(`${title} [postgres]`, function (database) {
    body.call(this, postgres(database));
  });
}
