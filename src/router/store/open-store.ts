/**
 * Chooses and opens the router's store from `storage` in the configuration: the embedded SQLite
 * file by default, PostgreSQL with `storage.postgres`.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../clock.ts';
import { defaultGrouping, type GroupingOptions, type RouterConfig } from '../config.ts';
import type { Receiver } from '../receivers/receiver.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';
import type { RouterStore } from './store.ts';

export interface StoreDeps {
  readonly clock: Clock;
  readonly receivers: ReadonlyMap<string, Receiver>;
  /** A route path's grouping options. */
  readonly grouping: (route: string) => GroupingOptions | undefined;
}

/** Opens the configured store (creating the SQLite file's folder). */
export async function openStore(config: RouterConfig, deps: StoreDeps): Promise<RouterStore> {
  // Read and checked, but the router does not run on it yet: refuse rather than quietly use SQLite.
  if (config.storage.postgres !== undefined) throw new Error('"postgres" in "storage" is not supported by this version of falx serve yet; remove it to use the SQLite store');
  mkdirSync(dirname(config.storage.path), { recursive: true });
  return new SqliteStore({
    path: config.storage.path,
    synchronous: config.storage.synchronous,
    maxAgeMs: config.delivery.maxAgeMs,
    receivers: deps.receivers.values(),
    inhibitRules: config.inhibitRules.map((rule) => rule.name),
    grouping: (route) => deps.grouping(route) ?? { ...defaultGrouping, enabled: true },
    clock: deps.clock,
  });
}
