/**
 * The pacer's rules, on explicit times: one send a second to a Slack channel by default, counted
 * from Slack's answer; at most `burst` sends in flight; a Retry-After holding every receiver of
 * the channel; and a stored state (a previous run's) taken up as it was left, a send that was in
 * flight at a crash included. The receivers are the real Slack and log receivers, built from
 * configuration; nothing is sent.
 */
import { expect } from 'chai';
import { loadRouterConfig } from '../../src/router/config.ts';
import { systemClock } from '../../src/router/clock.ts';
import { silentLogger } from '../../src/router/logger.ts';
import { Pacer, type DestinationPace } from '../../src/router/pacing.ts';
import type { Receiver } from '../../src/router/receivers/receiver.ts';

const yaml = `
receivers:
  - { name: log, type: log }
  - { name: alerts, type: slack, token: { env: T }, channel: "#alerts", api_url: "http://127.0.0.1:9/api/" }
  - { name: alerts-too, type: slack, token: { env: T }, channel: "#alerts", api_url: "http://127.0.0.1:9/api/" }
  - { name: bursty, type: slack, token: { env: T }, channel: "#bursty", api_url: "http://127.0.0.1:9/api/", pace: { per_second: 2, burst: 3 } }
route: { receivers: [log] }
`;

function receivers(): Receiver[] {
  const { config, diagnostics } = loadRouterConfig(yaml, 'pacing.yaml', { env: { T: 'xoxb-pacing' }, readFile: () => '' });
  if (config === undefined) throw new Error(JSON.stringify(diagnostics));
  return config.receivers.map((receiver) => receiver.build(receiver.name, { clock: systemClock, logger: silentLogger, writeLine: () => undefined }));
}

const t0 = Date.parse('2026-11-21T17:00:00Z');

describe('router/pacing', () => {
  let built: Receiver[] = [];
  beforeEach(() => {
    built = receivers();
  });
  afterEach(async () => {
    await Promise.all(built.map((receiver) => receiver.close()));
  });

  it('lets one message a second leave for a Slack channel by default, a second after Slack answered the last', () => {
    const pacer = new Pacer(built, new Map(), t0);
    expect(pacer.take('alerts', t0)).to.deep.equal({ ok: true });
    // In flight: nothing else leaves for the channel, however long it takes.
    expect(pacer.wait('alerts', t0 + 5000)).to.equal(Number.POSITIVE_INFINITY);
    // Answered 300 ms later: the next one leaves a full second after the answer, not after the start.
    pacer.settle('alerts', t0 + 300);
    expect(pacer.take('alerts', t0 + 1000)).to.deep.equal({ ok: false, retryAfterMs: 300 });
    expect(pacer.take('alerts', t0 + 1300)).to.deep.equal({ ok: true });
  });

  it('shares the pace between receivers posting to one channel, and keeps other destinations apart', () => {
    const pacer = new Pacer(built, new Map(), t0);
    expect(pacer.take('alerts', t0).ok).to.equal(true);
    expect(pacer.take('alerts-too', t0).ok).to.equal(false);
    expect(pacer.take('bursty', t0).ok).to.equal(true);
    expect(pacer.take('log', t0).ok).to.equal(true);
    pacer.settle('alerts', t0 + 10);
    expect(pacer.wait('alerts-too', t0 + 10)).to.equal(1000);
  });

  it('allows a configured burst, with as many sends in flight, then the rate', () => {
    const pacer = new Pacer(built, new Map(), t0);
    const taken = [0, 1, 2, 3].map(() => pacer.take('bursty', t0).ok);
    expect(taken).to.deep.equal([true, true, true, false]);
    for (let index = 0; index < 3; index += 1) pacer.settle('bursty', t0 + 5);
    // Three slots of 500 ms used from t0: the next is free at t0 + 500.
    expect(pacer.wait('bursty', t0 + 5)).to.equal(495);
  });

  it('holds every receiver of a channel until a Retry-After expires, and never shortens it', () => {
    const pacer = new Pacer(built, new Map(), t0);
    expect(pacer.take('alerts', t0).ok).to.equal(true);
    pacer.settle('alerts', t0 + 50);
    expect(pacer.pause('alerts', t0 + 50 + 2000)).to.deep.equal(['alerts', 'alerts-too']);
    pacer.pause('alerts-too', t0 + 1000);
    expect(pacer.wait('alerts-too', t0 + 1500)).to.equal(550);
    expect(pacer.take('alerts', t0 + 2049).ok).to.equal(false);
    expect(pacer.take('alerts', t0 + 2050).ok).to.equal(true);
    // The log receiver is not held.
    expect(pacer.wait('log', t0 + 100)).to.equal(0);
  });

  it("takes up a previous run's state: its pause, its pace, and one interval after a send that was in flight at a crash", () => {
    const destination = new Pacer(built, new Map(), t0).destination('alerts');
    const stored = (state: DestinationPace): Map<string, DestinationPace> => new Map([[destination, state]]);
    const paused = new Pacer(built, stored({ notBefore: t0 - 5000, pausedUntil: t0 + 1800, inFlight: 0 }), t0);
    expect(paused.wait('alerts-too', t0)).to.equal(1800);
    const paced = new Pacer(built, stored({ notBefore: t0 + 400, pausedUntil: 0, inFlight: 0 }), t0);
    expect(paced.wait('alerts', t0)).to.equal(400);
    const crashed = new Pacer(built, stored({ notBefore: t0 - 100, pausedUntil: 0, inFlight: 1 }), t0);
    expect(crashed.wait('alerts', t0)).to.equal(1000);
    expect(crashed.snapshot(destination).inFlight).to.equal(0);
    // A clock set back cannot hold the channel for longer than its pace asks.
    const skewed = new Pacer(built, stored({ notBefore: t0 + 3_600_000, pausedUntil: 0, inFlight: 0 }), t0);
    expect(skewed.wait('alerts', t0)).to.equal(1000);
  });
});
