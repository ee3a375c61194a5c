/**
 * Sending pace per destination: Slack allows about one message a second per channel and answers
 * 429 with Retry-After when a channel is over. Receivers that post to the same destination (two
 * receivers, one channel) share a pacing key, hence one pace and one pause; receivers without a
 * declared pace are held only by a pause.
 *
 * The pace is the generic cell rate algorithm (as `store/postgres/pacing-slots.ts`): a send may
 * start once `notBefore` minus the burst's tolerance has passed, and starting one moves
 * `notBefore` on by one interval. Two rules make it hold as the destination sees it, not only as
 * falx starts requests:
 * - a send counts as happening when the destination answered it (`settle`), so the next one
 *   leaves a full interval after the answer, whatever the network's delay; and
 * - at most `burst` sends to a destination are in flight at once, so a slow send is never
 *   overtaken, and a Retry-After is known before the next send leaves.
 * The state is persisted (`pacing-store.ts`) before a send leaves, so it survives a crash: a send
 * that was in flight when the process died makes the restarted router wait one interval.
 */
import type { Pacing, Receiver } from './receivers/receiver.ts';

/** One destination's pacing state, as persisted. */
export interface DestinationPace {
  /** The algorithm's theoretical arrival time: the next send may start at this minus the burst's tolerance. */
  notBefore: number;
  /** A Retry-After: nothing is sent to the destination before this time. */
  pausedUntil: number;
  /** Sends started and not yet answered. */
  inFlight: number;
}

export interface PaceRule {
  readonly intervalMs: number;
  /** How far ahead of `notBefore` a send may start: (burst - 1) intervals. */
  readonly toleranceMs: number;
  readonly maxInFlight: number;
}

/** Which destination each receiver sends to, and each destination's pace (the strictest its receivers declare). */
export class PaceRules {
  private readonly keyOf = new Map<string, string>();
  private readonly membersOf = new Map<string, string[]>();
  private readonly rules = new Map<string, PaceRule>();

  constructor(receivers: Iterable<Receiver>) {
    const paces = new Map<string, Pacing>();
    for (const receiver of receivers) {
      const key = receiver.pacingKey ?? receiver.name;
      this.keyOf.set(receiver.name, key);
      this.membersOf.set(key, [...(this.membersOf.get(key) ?? []), receiver.name]);
      if (receiver.pacing !== undefined) {
        // Receivers sharing a destination get the strictest pace any of them declares.
        const known = paces.get(key);
        paces.set(key, known === undefined ? receiver.pacing : { perSecond: Math.min(known.perSecond, receiver.pacing.perSecond), burst: Math.min(known.burst, receiver.pacing.burst) });
      }
    }
    for (const [key, pace] of paces) {
      const intervalMs = 1000 / pace.perSecond;
      this.rules.set(key, { intervalMs, toleranceMs: Math.max(0, pace.burst - 1) * intervalMs, maxInFlight: Math.max(1, Math.floor(pace.burst)) });
    }
  }

  /** The destination a receiver sends to (its pacing key). */
  destination(receiver: string): string {
    return this.keyOf.get(receiver) ?? receiver;
  }

  /** A destination's pace; undefined when none of its receivers declares one (only a pause holds it). */
  rule(destination: string): PaceRule | undefined {
    return this.rules.get(destination);
  }

  /** Whether the destination is used by a configured receiver. */
  has(destination: string): boolean {
    return this.membersOf.has(destination);
  }

  /** The receivers that send to a destination. */
  members(destination: string): readonly string[] {
    return this.membersOf.get(destination) ?? [];
  }
}

/** Whether a receiver may send now. */
export type PaceDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export class Pacer {
  private readonly paceRules: PaceRules;
  private readonly states = new Map<string, DestinationPace>();

  /** `stored` is the persisted state of a previous run, by destination. */
  constructor(receivers: Iterable<Receiver>, stored: ReadonlyMap<string, DestinationPace>, now: number) {
    this.paceRules = new PaceRules(receivers);
    for (const [key, state] of stored) {
      if (!this.paceRules.has(key)) continue;
      const rule = this.paceRules.rule(key);
      // A send in flight when the last run died may have arrived just before it did: wait one interval from now.
      const inFlightAtCrash = rule !== undefined && state.inFlight > 0 ? now + rule.intervalMs : 0;
      // A clock set back must not hold a destination for longer than its pace can ask.
      const bound = rule === undefined ? now : now + rule.toleranceMs + rule.intervalMs;
      this.states.set(key, { notBefore: Math.min(bound, Math.max(state.notBefore, inFlightAtCrash)), pausedUntil: state.pausedUntil, inFlight: 0 });
    }
  }

  /** The destination a receiver sends to (its pacing key). */
  destination(receiver: string): string {
    return this.paceRules.destination(receiver);
  }

  /** Whether the receiver's destination has a pace (its slots are worth persisting before a send). */
  isPaced(receiver: string): boolean {
    return this.paceRules.rule(this.destination(receiver)) !== undefined;
  }

  /**
   * How long `receiver` must wait before it may send (0: now), without taking a slot. Infinite
   * while its destination has as many sends in flight as it may: the next answer frees a slot.
   */
  wait(receiver: string, now: number): number {
    const key = this.destination(receiver);
    const state = this.states.get(key);
    if (state === undefined) return 0;
    const rule = this.paceRules.rule(key);
    if (rule !== undefined && state.inFlight >= rule.maxInFlight) return Number.POSITIVE_INFINITY;
    const paced = rule === undefined ? 0 : state.notBefore - rule.toleranceMs;
    return Math.max(0, Math.ceil(Math.max(state.pausedUntil, paced) - now));
  }

  /** Takes a sending slot for `receiver`, or says how long to wait (a pause, the pace, or sends in flight). */
  take(receiver: string, now: number): PaceDecision {
    const wait = this.wait(receiver, now);
    if (wait > 0) return { ok: false, retryAfterMs: wait };
    const key = this.destination(receiver);
    const rule = this.paceRules.rule(key);
    const state = this.stateOf(key);
    if (rule !== undefined) state.notBefore = Math.max(state.notBefore, now) + rule.intervalMs;
    state.inFlight += 1;
    return { ok: true };
  }

  /** A send taken with `take` is over (answered, failed or abandoned) at `answeredAt`. */
  settle(receiver: string, answeredAt: number): void {
    const key = this.destination(receiver);
    const state = this.stateOf(key);
    state.inFlight = Math.max(0, state.inFlight - 1);
    const rule = this.paceRules.rule(key);
    // The destination counts the message when it received it, at the latest when it answered.
    if (rule !== undefined) state.notBefore = Math.max(state.notBefore, answeredAt + rule.intervalMs);
  }

  /** Holds the receiver's destination until `until`; returns every receiver that shares it. */
  pause(receiver: string, until: number): readonly string[] {
    const key = this.destination(receiver);
    const state = this.stateOf(key);
    state.pausedUntil = Math.max(state.pausedUntil, until);
    const members = this.paceRules.members(key);
    return members.length > 0 ? members : [receiver];
  }

  /** A copy of a destination's state, to persist. */
  snapshot(destination: string): DestinationPace {
    return { ...this.stateOf(destination) };
  }

  private stateOf(key: string): DestinationPace {
    let state = this.states.get(key);
    if (state === undefined) {
      state = { notBefore: 0, pausedUntil: 0, inFlight: 0 };
      this.states.set(key, state);
    }
    return state;
  }
}
