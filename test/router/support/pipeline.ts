/**
 * The router's ingest and grouping parts on a store, without HTTP or a worker: the dispatcher,
 * the group timers on a manual clock, and the store itself for reading what was planned.
 */
import { loadRouterConfig, allRoutes, type RouterConfig } from '../../../src/router/config.ts';
import { Dispatcher } from '../../../src/router/dispatcher.ts';
import { silentLogger } from '../../../src/router/logger.ts';
import { RouterMetrics } from '../../../src/router/metrics.ts';
import { GroupTimers } from '../../../src/router/noise/group-timers.ts';
import { SilenceCache } from '../../../src/router/noise/silences.ts';
import { openStore } from '../../../src/router/store/open-store.ts';
import type { ClaimedDelivery, RouterStore } from '../../../src/router/store/store.ts';
import type { ManualClock } from './manual-clock.ts';
import type { TestStorage } from './stores.ts';

export interface Pipeline {
  readonly config: RouterConfig;
  readonly store: RouterStore;
  readonly timers: GroupTimers;
  readonly dispatcher: Dispatcher;
  /** Claims every due delivery of `receiver` (at most 1000). */
  due(receiver: string): Promise<ClaimedDelivery[]>;
  close(): Promise<void>;
}

export const testReplica = 'test-replica';

/** `yaml` without `storage`: the test storage's goes in. */
export async function openPipeline(yaml: string, storage: TestStorage, clock: ManualClock): Promise<Pipeline> {
  const loaded = loadRouterConfig(`${yaml}\nstorage: ${storage.yaml}\n`, 'pipeline.yaml', { env: storage.env, readFile: () => '' });
  if (loaded.config === undefined) throw new Error(JSON.stringify(loaded.diagnostics));
  const config = loaded.config;
  const routes = new Map(allRoutes(config.route).map((route) => [route.path, route]));
  const receivers = new Map(config.receivers.map((receiver) => [receiver.name, receiver.build(receiver.name, { clock, logger: silentLogger, writeLine: () => undefined })]));
  const store = await openStore(config, { clock, receivers, grouping: (path) => routes.get(path)?.grouping, logger: silentLogger, replica: testReplica });
  const metrics = new RouterMetrics();
  const timers = new GroupTimers({ store, replica: testReplica, clock, logger: silentLogger, metrics, routeLabel: (path) => routes.get(path)?.label ?? path, onPlanned: () => undefined });
  const dispatcher = new Dispatcher({
    root: config.route,
    store,
    metrics,
    silences: new SilenceCache(),
    inhibitRules: config.inhibitRules,
    grouping: true,
    onStored: () => undefined,
    onGroupDue: (at) => timers.arm(at),
  });
  timers.start();
  return {
    config,
    store,
    timers,
    dispatcher,
    due: (receiver) => store.claimDue(receiver, { replica: testReplica, now: clock.now(), leaseMs: 60_000, limit: 1000 }),
    async close() {
      timers.stop();
      await timers.settled();
      await store.close();
    },
  };
}
