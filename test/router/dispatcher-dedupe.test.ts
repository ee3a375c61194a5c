/**
 * One notification per receiver and event, whatever the routes: an event that matches several
 * routes (`continue: true`) whose receivers overlap is delivered once to each receiver, by the
 * first matched route that lists it, with that route's grouping. Real parts: the SQLite outbox in
 * a temporary file, the dispatcher, the aggregator on a manual clock.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { allRoutes, loadRouterConfig, type RouterConfig } from '../../src/router/config.ts';
import { Dispatcher } from '../../src/router/dispatcher.ts';
import { validateEvent, type FalcoEvent } from '../../src/router/event.ts';
import { GroupStore } from '../../src/router/store/sqlite/group-store.ts';
import { Aggregator, type GroupPayload } from '../../src/router/noise/grouping.ts';
import { silentLogger } from '../../src/router/logger.ts';
import { RouterMetrics } from '../../src/router/metrics.ts';
import { Outbox } from '../../src/router/store/sqlite/outbox.ts';
import { ManualClock } from './support/manual-clock.ts';
import { falcoEvent } from './support/router-process.ts';

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

interface Harness {
  readonly outbox: Outbox;
  readonly aggregator: Aggregator;
  readonly dispatcher: Dispatcher;
  close(): void;
}

describe('router/dispatcher: one notification per receiver and event', () => {
  let dir: string;
  let clock: ManualClock;
  let config: RouterConfig;
  let harness: Harness;
  let uuid = 0;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-dedupe-'));
    clock = new ManualClock(Date.parse('2026-11-21T17:00:00Z'));
    const loaded = loadRouterConfig(yaml, 'dedupe.yaml', undefined);
    if (loaded.config === undefined) throw new Error(JSON.stringify(loaded.diagnostics));
    config = loaded.config;
    const outbox = new Outbox({ path: join(dir, 'outbox.sqlite'), synchronous: 'normal', maxAgeMs: 86_400_000 });
    const aggregator = new Aggregator({ outbox, store: new GroupStore(outbox.database), routes: allRoutes(config.route), clock, metrics: new RouterMetrics(), logger: silentLogger, onPlanned: () => undefined });
    outbox.addParticipant(aggregator);
    const dispatcher = new Dispatcher(config.route, outbox, new RouterMetrics(), undefined, aggregator, () => undefined);
    aggregator.start();
    harness = {
      outbox,
      aggregator,
      dispatcher,
      close: () => {
        aggregator.stop();
        outbox.close();
      },
    };
  });

  afterEach(() => {
    harness.close();
    rmSync(dir, { recursive: true, force: true });
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
    await harness.aggregator.settled();
    const byReceiver: Record<string, string[]> = {};
    for (const receiver of ['log', 'slack', 'email', 'pager']) {
      byReceiver[receiver] = harness.outbox
        .due(receiver, clock.now(), 1000)
        .map((delivery) => {
          const route = config.route.routes.find((candidate) => candidate.path === delivery.route)?.label ?? delivery.route;
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
