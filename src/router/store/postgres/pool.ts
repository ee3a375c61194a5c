/**
 * A connection pool to the router's PostgreSQL database, opened from a URL. Every error that
 * leaves it is a `PostgresStoreError` whose message has the password redacted (and no `cause`
 * holding the driver's original, which could quote it); its log lines name the database by
 * `postgres://user@host:port/database`. 64-bit integers come back as numbers: the store keeps
 * epoch milliseconds and row ids in BIGINT columns, all far below 2^53.
 */
import pg from 'pg';
import type { Logger } from '../../logger.ts';
import { parseDatabaseUrl, redactorFor, type Redactor } from './database-url.ts';

/** A failure of the PostgreSQL store, with the password removed from its message. */
export class PostgresStoreError extends Error {
  override readonly name = 'PostgresStoreError';

  constructor(
    message: string,
    /** PostgreSQL's SQLSTATE (`40P01`, `57P01`) or Node's error code (`ECONNREFUSED`), when known. */
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface PostgresPoolOptions {
  /** The database URL, password included (the revealed secret). */
  readonly url: string;
  /** Connections at most. */
  readonly size: number;
  readonly logger: Logger;
  /** Shown in `pg_stat_activity`; the replica's name is a good one. */
  readonly applicationName?: string;
  /** How long opening a connection may take before it counts as a failure. */
  readonly connectTimeoutMs?: number;
  /** How long a statement may run (server side) and a query may wait (client side): a hung database fails requests instead of holding them. */
  readonly queryTimeoutMs?: number;
}

/** Something that runs queries: the pool itself, or one client inside a transaction. */
export interface Queryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<Row>>;
}

const int8Oid = 20;
const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === int8Oid && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/** The router's pool. */
export class PostgresPool {
  /** `postgres://user@host:port/database`: the database, without the password. */
  readonly description: string;
  readonly redact: Redactor;
  private readonly pool: pg.Pool;
  private closed = false;

  /** Opens a pool (connections are made on first use). Throws a `PostgresStoreError` for a URL that cannot be used. */
  constructor(options: PostgresPoolOptions) {
    this.redact = redactorFor(options.url);
    const parsed = parseDatabaseUrl(options.url);
    if (!parsed.ok) throw new PostgresStoreError(`the PostgreSQL URL cannot be used: ${parsed.reason}`, undefined);
    this.description = parsed.target.description;
    this.pool = new pg.Pool({
      ...parsed.target.client,
      // Given apart from the URL: pg-pool keeps `password` out of its enumerable options.
      ...(parsed.target.password !== undefined ? { password: parsed.target.password } : {}),
      max: options.size,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      ...(options.queryTimeoutMs !== undefined ? { statement_timeout: options.queryTimeoutMs, query_timeout: options.queryTimeoutMs } : {}),
      application_name: options.applicationName ?? parsed.target.client.application_name ?? 'falx',
      types: { getTypeParser },
    });
    // An idle connection that breaks (server restart, network) is reported here; without a
    // listener the pool's 'error' event would end the process.
    this.pool.on('error', (error) => {
      options.logger.log('warn', 'a PostgreSQL connection was lost', { database: this.description, error: this.surface(error).message });
    });
  }

  /** Runs one statement on any free connection. */
  async query<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<pg.QueryResult<Row>> {
    try {
      return await this.pool.query<Row>(text, values === undefined ? undefined : [...values]);
    } catch (error) {
      throw this.surface(error);
    }
  }

  /** Runs `work` on one connection held for its duration (session state: advisory locks, SET). */
  async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.surface(error);
    }
    let broken: unknown;
    // A connection cut while held (the database went away mid-transaction) emits 'error' on the
    // client; without a listener that would end the process. The work's own query fails too.
    const onError = (error: Error): void => {
      broken ??= error;
    };
    client.on('error', onError);
    try {
      return await work(client);
    } catch (error) {
      broken = error;
      throw this.surface(error);
    } finally {
      client.off('error', onError);
      // A connection whose work failed may be mid-transaction or dead: do not hand it out again.
      client.release(broken instanceof Error ? broken : undefined);
    }
  }

  /** Runs `work` in one transaction (READ COMMITTED), committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Closes every connection; waits for those in use to be released. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /** The error as it may leave the store: a `PostgresStoreError` without the password. */
  surface(error: unknown): PostgresStoreError {
    if (error instanceof PostgresStoreError) return new PostgresStoreError(this.redact(error.message), error.code);
    const code = typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
    const message = error instanceof Error ? error.message || error.name : String(error);
    // AggregateError (one failure per address tried) has an empty message: name what failed.
    const detail = error instanceof AggregateError && error.errors.length > 0 ? error.errors.map((inner: unknown) => (inner instanceof Error ? inner.message : String(inner))).join('; ') : message;
    return new PostgresStoreError(this.redact(`PostgreSQL (${this.description}): ${detail}`), code);
  }
}
