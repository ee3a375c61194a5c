/**
 * Chooses and opens the router's store from `storage` in the configuration: the embedded SQLite
 * file by default, PostgreSQL with `storage.postgres`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../clock.ts';
import { defaultGrouping, type GroupingOptions, type RouterConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { Receiver } from '../receivers/receiver.ts';
import { PostgresStore } from './postgres/postgres-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { RouterStore } from './store.ts';

export interface StoreDeps {
  readonly clock: Clock;
  readonly receivers: ReadonlyMap<string, Receiver>;
  /** A route path's grouping options. */
  readonly grouping: (route: string) => GroupingOptions | undefined;
  readonly logger: Logger;
  /** This process's name in claims and leases. */
  readonly replica: string;
}

/** Opens the configured store (creating the SQLite file's folder). */
export async function openStore(config: RouterConfig, deps: StoreDeps): Promise<RouterStore> {
  const grouping = (route: string): GroupingOptions => deps.grouping(route) ?? { ...defaultGrouping, enabled: true };
  const { postgres } = config.storage;
  if (postgres !== undefined) {
    if (postgres.url === 'unresolved') throw new Error('the PostgreSQL URL was not resolved; load the configuration with a secret source to serve');
    return PostgresStore.open({
      url: postgres.url.reveal(),
      poolSize: postgres.pool,
      replica: deps.replica,
      clock: deps.clock,
      logger: deps.logger,
      maxAgeMs: config.delivery.maxAgeMs,
      receivers: deps.receivers.values(),
      inhibitRules: config.inhibitRules.map((rule) => rule.name),
      grouping,
    });
  }
  mkdirSync(dirname(config.storage.path), { recursive: true });
  return new SqliteStore({
    path: config.storage.path,
    synchronous: config.storage.synchronous,
    maxAgeMs: config.delivery.maxAgeMs,
    receivers: deps.receivers.values(),
    inhibitRules: config.inhibitRules.map((rule) => rule.name),
    grouping,
    clock: deps.clock,
  });
}
