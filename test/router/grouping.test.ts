/**
 * Aggregation groups driven by a manual clock, with each real store and the dispatcher:
 * group_wait, group_interval, nothing sent when nothing is new, repeat_interval opening a new
 * thread, and the counts surviving a reopen of the store.
 */
import { expect } from 'chai';
import { validateEvent } from '../../src/router/event.ts';
import type { GroupPayload } from '../../src/router/noise/group-transitions.ts';
import { ManualClock } from './support/manual-clock.ts';
import { openPipeline, testReplica, type Pipeline } from './support/pipeline.ts';
import { falcoEvent } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

const yaml = `
receivers: [{ name: log, type: log }, { name: team, type: log }]
route:
  receivers: [log]
  routes:
    - match: rule = "Terminal shell in container"
      receivers: [team]
      group_by: [rule, k8s.ns.name]
      group_wait: 30s
      group_interval: 5m
      repeat_interval: 4h
`;

type Harness = Pipeline;

describeEachStore('router/grouping with a manual clock', (store) => {
  let storage: TestStorage;
  let clock: ManualClock;
  let uuid = 0;

  beforeEach(async () => {
    storage = await store.fresh();
    clock = new ManualClock(Date.parse('2026-11-21T17:00:00Z'));
  });
  afterEach(() => storage.dispose());

  const open = (): Promise<Harness> => openPipeline(yaml, storage, clock);

  async function post(harness: Harness, namespace: string, pod: string): Promise<void> {
    const validation = validateEvent(falcoEvent({ uuid: `u-${uuid++}`, output: `17:15:03.434319636: Warning A shell in ${pod}` }, { 'k8s.ns.name': namespace, 'k8s.pod.name': pod }), () => 'x', clock.now());
    if (!validation.ok) throw new Error(validation.problem.message);
    await harness.dispatcher.dispatch(validation.event, clock.now());
  }

  async function advance(harness: Harness, ms: number): Promise<GroupPayload[]> {
    clock.advance(ms);
    await harness.timers.settled();
    const due = (await Promise.all(['log', 'team'].map((receiver) => harness.due(receiver)))).flat().filter((delivery) => delivery.payload !== null);
    // Mark them sent so that the next look only finds new notifications.
    await Promise.all(due.map((delivery) => harness.store.complete(delivery.id, testReplica, { kind: 'sent', now: clock.now() })));
    return due.map((delivery) => JSON.parse(delivery.payload ?? '{}') as GroupPayload);
  }

  it('waits group_wait, batches per group_interval, sends nothing when nothing is new, and opens a new thread after repeat_interval', async () => {
    const harness = await open();
    try {
      for (let index = 0; index < 3; index += 1) await post(harness, 'prod', `web-${index % 2}`);
      await post(harness, 'dev', 'api-1');
      expect(await advance(harness, 29_999), 'before group_wait').to.deep.equal([]);
      const first = await advance(harness, 1);
      expect(first.map((payload) => [payload.group.labels['k8s.ns.name'], payload.group.seq, payload.group.count, payload.group.total])).to.have.deep.members([
        ['prod', 0, 3, 3],
        ['dev', 0, 1, 1],
      ]);
      const prod = first.find((payload) => payload.group.labels['k8s.ns.name'] === 'prod');
      expect(prod?.events, 'distinct samples').to.have.length(2);

      // 10 s later: one more event; it waits for group_interval after the first notification.
      await advance(harness, 10_000);
      await post(harness, 'prod', 'web-7');
      expect(await advance(harness, 289_999)).to.deep.equal([]);
      const update = await advance(harness, 1);
      expect(update.map((payload) => [payload.group.seq, payload.group.count, payload.group.total, payload.group.threadKey])).to.deep.equal([[1, 1, 4, prod?.group.threadKey]]);

      // Quiet: nothing is new, nothing is sent.
      expect(await advance(harness, 3_600_000)).to.deep.equal([]);

      // After repeat_interval the next event opens a new thread, announced after group_wait.
      await advance(harness, 4 * 3_600_000);
      await post(harness, 'prod', 'web-1');
      const renewed = await advance(harness, 30_000);
      expect(renewed.map((payload) => [payload.group.seq, payload.group.count, payload.group.total])).to.deep.equal([[0, 1, 1]]);
      expect(renewed[0]?.group.threadKey).not.to.equal(prod?.group.threadKey);
    } finally {
      await harness.close();
    }
  });

  it('keeps counts and timers across a reopen of the store, counting a re-posted uuid once', async () => {
    let harness = await open();
    await post(harness, 'prod', 'web-1');
    await post(harness, 'prod', 'web-2');
    uuid -= 1;
    await post(harness, 'prod', 'web-2');
    await harness.close();

    harness = await open();
    try {
      await post(harness, 'prod', 'web-3');
      const first = await advance(harness, 30_000);
      expect(first.map((payload) => [payload.group.count, payload.group.total])).to.deep.equal([[3, 3]]);
      expect(await harness.store.eventCount()).to.equal(3);
    } finally {
      await harness.close();
    }
  });
});
