/**
 * One notification per receiver and event, whatever the routes: an event that matches several
 * routes (`continue: true`) whose receivers overlap is delivered once to each receiver, by the
 * first matched route that lists it, with that route's grouping. Real parts: each store (a
 * fresh SQLite file or database), the dispatcher, the group timers on a manual clock.
 */
import { expect } from 'chai';
import { validateEvent, type FalcoEvent } from '../../src/router/event.ts';
import type { GroupPayload } from '../../src/router/noise/group-transitions.ts';
import { ManualClock } from './support/manual-clock.ts';
import { openPipeline, type Pipeline } from './support/pipeline.ts';
import { falcoEvent } from './support/router-process.ts';
import { describeEachStore, type TestStorage } from './support/stores.ts';

const yaml = `
receivers:
  - { name: log, type: log }
  - { name: slack, type: log }
  - { name: email, type: log }
  - { name: pager, type: log }
route:
  receivers: [log]
  routes:
    # Critical shells page at once and go to Slack at once; everything else of the rule is grouped.
    - name: critical-now
      match: priority >= critical
      receivers: [pager, slack]
      continue: true
    - name: shells-grouped
      match: rule = "Terminal shell in container"
      receivers: [slack, email]
      group_by: [rule]
      group_wait: 30s
      continue: true
    - name: shells-also-grouped
      match: rule = "Terminal shell in container"
      receivers: [email, pager]
      group_by: [k8s.ns.name]
      group_wait: 30s
      continue: true
    - name: shells-per-event
      match: rule = "Terminal shell in container"
      receivers: [slack, email, pager, log]
`;

describeEachStore('router/dispatcher: one notification per receiver and event', (store) => {
  let storage: TestStorage;
  let clock: ManualClock;
  let harness: Pipeline;
  let uuid = 0;

  beforeEach(async () => {
    storage = await store.fresh();
    clock = new ManualClock(Date.parse('2026-11-21T17:00:00Z'));
    harness = await openPipeline(yaml, storage, clock);
  });

  afterEach(async () => {
    await harness.close();
    await storage.dispose();
  });

  function eventOf(priority: string, namespace = 'prod'): FalcoEvent {
    const validation = validateEvent(falcoEvent({ uuid: `d-${uuid++}`, priority }, { 'k8s.ns.name': namespace }), () => 'x', clock.now());
    if (!validation.ok) throw new Error(validation.problem.message);
    return validation.event;
  }

  async function post(priority: string, namespace = 'prod'): Promise<void> {
    await harness.dispatcher.dispatch(eventOf(priority, namespace), clock.now());
  }

  /** Pending deliveries per receiver, sorted: per-event ones by route, group ones by route with their counts. */
  async function deliveriesAfterGroupWait(): Promise<Record<string, string[]>> {
    clock.advance(30_000);
    await harness.timers.settled();
    const byReceiver: Record<string, string[]> = {};
    for (const receiver of ['log', 'slack', 'email', 'pager']) {
      byReceiver[receiver] = (await harness.due(receiver))
        .map((delivery) => {
          const route = harness.config.route.routes.find((candidate) => candidate.path === delivery.route)?.label ?? delivery.route;
          if (delivery.payload === null) return route;
          return `${route} (group of ${(JSON.parse(delivery.payload) as GroupPayload).group.count})`;
        })
        .sort();
    }
    return byReceiver;
  }

  it('delivers a critical shell once to each receiver, by the first route that lists it', async () => {
    const planned = await harness.dispatcher.dispatch(eventOf('Critical'), clock.now());
    expect(planned.routes.map((route) => route.label)).to.deep.equal(['critical-now', 'shells-grouped', 'shells-also-grouped', 'shells-per-event']);
    // At once: pager and slack (critical-now), log (shells-per-event); email is counted in shells-grouped's group.
    expect(planned.deliveries).to.equal(3);
    expect(planned.grouped).to.equal(1);
    expect(await deliveriesAfterGroupWait()).to.deep.equal({
      log: ['shells-per-event'],
      slack: ['critical-now'],
      email: ['shells-grouped (group of 1)'],
      pager: ['critical-now'],
    });
  });

  it("counts a receiver's events in the group of the route that notifies it, so its counts add up to what it was sent", async () => {
    await post('Warning');
    await post('Warning', 'dev');
    await post('Critical');
    expect(await deliveriesAfterGroupWait()).to.deep.equal({
      log: ['shells-per-event', 'shells-per-event', 'shells-per-event'],
      // The critical shell went to Slack at once: Slack's group counts the two others.
      slack: ['critical-now', 'shells-grouped (group of 2)'],
      // email gets all three through shells-grouped; shells-also-grouped notifies it of none.
      email: ['shells-grouped (group of 3)'],
      // pager: the critical one at once, the others through shells-also-grouped, one group per namespace.
      pager: ['critical-now', 'shells-also-grouped (group of 1)', 'shells-also-grouped (group of 1)'],
    });
  });
});
