/**
 * `storage.postgres` in the router configuration: the PostgreSQL store instead of the embedded
 * SQLite file.
 *
 *   storage:
 *     postgres:
 *       url: { env: FALX_DATABASE_URL }   # or { file: /run/secrets/falx-database-url }
 *       pool: 10                          # connections per replica, optional
 *
 * The URL is a secret (it holds the password): read like every other secret, checked for shape
 * once resolved, and never quoted in a diagnostic.
 */
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../../config-reader.ts';
import type { Secret } from '../../secret.ts';
import { parseDatabaseUrl } from './database-url.ts';

export interface PostgresStorageConfig {
  /** The database URL, password included; `unresolved` when only checking the file. */
  readonly url: Secret | 'unresolved';
  /** Connections per replica at most. */
  readonly pool: number;
}

export const defaultPoolSize = 10;

/** Reads `postgres` inside the `storage` mapping; undefined when absent or invalid (with diagnostics). */
export function readPostgresStorage(reader: ConfigReader, storage: YAMLMap<unknown, unknown>): PostgresStorageConfig | undefined {
  const node = reader.node(storage, 'postgres');
  if (node === undefined) return undefined;
  const where = '"postgres" in "storage"';
  // The SQLite settings beside it would be silently ignored: say so instead.
  for (const key of ['path', 'synchronous']) {
    if (reader.has(storage, key)) reader.report('FX7002', reader.node(storage, key), { detail: `"${key}" in "storage" configures the SQLite store, which "postgres" replaces; remove one of them.` });
  }
  const map = reader.map(node, where);
  if (map === undefined) return undefined;
  reader.checkKeys(map, ['url', 'pool'], where);
  const pool = reader.integer(map, 'pool', where, 1, 1000) ?? defaultPoolSize;
  const urlNode = reader.node(map, 'url');
  if (urlNode === undefined) {
    reader.missing(map, 'url', where);
    return undefined;
  }
  const url = reader.secretAt(urlNode, `"url" in ${where}`);
  if (url === undefined) return undefined;
  if (url !== 'unresolved') {
    const parsed = parseDatabaseUrl(url.reveal());
    if (!parsed.ok) {
      reader.report('FX7014', urlNode, { ref: url.origin, reason: parsed.reason });
      return undefined;
    }
    const { transport, description } = parsed.target;
    if (transport === 'plain') reader.report('FX7015', urlNode, { target: description, risk: 'without TLS: the password and every event cross the network in clear' });
    if (transport === 'unverified') reader.report('FX7015', urlNode, { target: description, risk: "with TLS but without checking the server's certificate (sslmode=no-verify): anyone on the path can pose as the database" });
  }
  return { url, pool };
}
