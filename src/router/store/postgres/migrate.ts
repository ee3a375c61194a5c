/**
 * Applies the schema migrations at start. Replicas starting together take a session-level
 * advisory lock first, so exactly one applies each missing migration and the others, once they
 * hold the lock, find nothing left to do. Each migration runs in its own transaction with its row
 * in `schema_migrations`, so a crash leaves the database at a version, never between two.
 */
import type { PoolClient } from 'pg';
import type { Logger } from '../../logger.ts';
import { migrations as allMigrations } from './migrations/all.ts';
import type { Migration } from './migrations/migration.ts';
import { PostgresStoreError, type PostgresPool } from './pool.ts';

/** The advisory lock's key (two int4s): 'falx' and the schema lock's number. */
const lockSpace = 0x66616c78;
const schemaLock = 1;

/** What `migrate` found and did. */
export interface MigrationResult {
  /** Versions this call applied, in order (empty when the schema was up to date). */
  readonly applied: readonly number[];
  /** The database's version afterwards. */
  readonly version: number;
  /**
   * The database has versions this falx does not know (a newer replica migrated it during a
   * rolling update). Migrations only add, so this one still works; it is logged, not refused.
   */
  readonly newerThanKnown: boolean;
}

export interface MigrateOptions {
  readonly logger: Logger;
  /** How long to wait for another replica's migration before giving up. */
  readonly lockTimeoutMs?: number;
  /** For tests; the released list by default. */
  readonly migrations?: readonly Migration[];
}

/** Throws unless versions run 1, 2, 3… without gaps or repeats. */
export function checkMigrationOrder(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration "${migration.name}" has version ${migration.version}; expected ${index + 1}`);
  });
}

/** Brings the database's schema up to date, under the advisory lock. */
export async function migrate(pool: PostgresPool, options: MigrateOptions): Promise<MigrationResult> {
  const migrations = options.migrations ?? allMigrations;
  checkMigrationOrder(migrations);
  const lockTimeoutMs = options.lockTimeoutMs ?? 60_000;
  return pool.withClient(async (client) => {
    await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(lockTimeoutMs))}ms`]);
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [lockSpace, schemaLock]);
    } catch (error) {
      if (sqlState(error) === '55P03') throw new PostgresStoreError(`another falx replica held the schema migration lock for more than ${lockTimeoutMs} ms; is one stuck migrating?`, '55P03');
      throw error;
    }
    try {
      await client.query('RESET lock_timeout');
      return await applyMissing(client, migrations, pool.description, options.logger);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [lockSpace, schemaLock]);
    }
  });
}

async function applyMissing(client: PoolClient, migrations: readonly Migration[], database: string, logger: Logger): Promise<MigrationResult> {
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  const rows = await client.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
  const done = new Set(rows.rows.map((row) => row.version));
  const known = migrations.length;
  const newest = Math.max(0, ...done);
  const applied: number[] = [];
  for (const migration of migrations) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      const detail = error instanceof Error ? error.message : String(error);
      throw new PostgresStoreError(`schema migration ${migration.version} (${migration.name}) failed: ${detail}`, sqlState(error));
    }
    applied.push(migration.version);
  }
  const version = Math.max(newest, applied.at(-1) ?? 0);
  if (applied.length > 0) logger.log('info', 'database schema migrated', { database, from: newest, to: version, applied });
  const newerThanKnown = newest > known;
  if (newerThanKnown) logger.log('warn', 'the database schema is newer than this falx knows; running on it (migrations only add)', { database, version: newest, known });
  return { applied, version, newerThanKnown };
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
