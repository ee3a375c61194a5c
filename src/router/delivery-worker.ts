/**
 * The delivery worker: claims due deliveries from the store, paces them per destination (a Slack
 * channel), sends them and records the outcome. A paced send's slot is durable before the request
 * leaves, and a Retry-After pauses the whole destination (every receiver posting to it), durably
 * too (the store's pacing: `pacing.ts` on SQLite, one row per destination on PostgreSQL), so
 * neither concurrency, replicas nor a crash and restart let a channel go over its pace. A group
 * notification is rebuilt from its stored payload and given the thread its group's first message
 * started; the thread a first message starts is recorded in the same transaction that marks it
 * sent. Claims hold a row while it is sent: after a crash they expire (PostgreSQL) or vanish with
 * the process (SQLite), and the row is sent again.
 */
import { setMaxListeners } from 'node:events';
import type { Clock, TimerHandle } from './clock.ts';
import { deserializeEvent } from './event.ts';
import type { Logger } from './logger.ts';
import type { RouterMetrics } from './metrics.ts';
import type { GroupPayload } from './noise/group-transitions.ts';
import type { Notification } from './notification.ts';
import type { Receiver, SendResult } from './receivers/receiver.ts';
import { decideRetry, type RetryPolicy } from './retry.ts';
import type { ClaimedDelivery, DeliveryOutcome, DueDelivery, RouterStore } from './store/store.ts';

export interface DeliveryWorkerOptions {
  readonly store: RouterStore;
  /** This process's name in claims. */
  readonly replica: string;
  /** How long a claim holds for a receiver without a timeout; others get twice theirs. */
  readonly leaseMs: number;
  readonly receivers: ReadonlyMap<string, Receiver>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RouterMetrics;
  readonly policy: RetryPolicy;
  /** Sends in flight at once, over all receivers. */
  readonly concurrency: number;
  /**
   * Sends in flight at once to one receiver: a hung destination holds at most this many slots,
   * so the others keep sending.
   */
  readonly receiverConcurrency: number;
  /** How often to look for retries that became due. */
  readonly pollIntervalMs: number;
  readonly random?: () => number;
}

/** What a drain did with the sends in flight when it began. */
export interface DrainReport {
  readonly finished: number;
  readonly pending: number;
}

export class DeliveryWorker {
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly inFlightByReceiver = new Map<string, number>();
  private readonly abort = new AbortController();
  private tickTimer: TimerHandle | undefined;
  private tickAt = Number.POSITIVE_INFINITY;
  private running = false;
  /** A tick is reading the store; a wake meanwhile runs one more right after it. */
  private ticking = false;
  private tickAgain = false;
  /** The tick in progress: a drain waits for it, so the claims it took are sent or given back before the store closes. */
  private tickRun: Promise<void> = Promise.resolve();
  private readonly random: () => number;
  /** Where the next tick starts its round over the receivers, so that none always goes first. */
  private nextFirst = 0;
  private readonly names: readonly string[];
  /** Claims whose send was aborted by shutdown: given back so another run sends them. */
  private readonly abandoned: number[] = [];

  constructor(private readonly options: DeliveryWorkerOptions) {
    // Every network receiver listens to this one signal (to abort its sends at shutdown): more than node's default of 10 is expected.
    setMaxListeners(0, this.abort.signal);
    this.random = options.random ?? Math.random;
    this.names = [...options.receivers.keys()];
  }

  /** Starts delivering, beginning with whatever a previous run left pending. */
  start(): void {
    this.running = true;
    void this.deadLetterUnknownReceivers();
    this.schedule(0);
  }

  /**
   * Deliveries to receivers that are no longer configured can never be sent: dead-letter those
   * the store hands over once at start (SQLite: all of them; PostgreSQL: only rows past the
   * delivery age limit, since another replica may run a newer configuration with the receiver).
   */
  private async deadLetterUnknownReceivers(): Promise<void> {
    const { store, clock, metrics, replica, logger, leaseMs } = this.options;
    const now = clock.now();
    try {
      for (const delivery of await store.claimDueForUnknownReceivers(this.names, { replica, now, leaseMs, limit: 100_000 })) {
        await store.complete(delivery.id, replica, { kind: 'dead', attempts: delivery.attempts, error: `receiver "${delivery.receiver}" is no longer configured`, now });
        metrics.dead.inc({ receiver: delivery.receiver });
      }
    } catch (error) {
      logger.log('warn', 'dead-lettering deliveries of unknown receivers failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Something new is due: look soon. */
  wake(): void {
    if (this.running) this.schedule(0);
  }

  /** Number of sends in flight. */
  get busy(): number {
    return this.inFlight.size;
  }

  /**
   * Stops taking deliveries and waits up to `timeoutMs` for the ones in flight to finish; then
   * aborts the rest (receivers cancel their requests on the signal) and waits for them to unwind.
   * An aborted delivery is not recorded: its row stays pending and its claim is given back.
   */
  async stop(timeoutMs: number): Promise<DrainReport> {
    this.running = false;
    this.tickTimer?.cancel();
    await this.tickRun;
    const started = this.inFlight.size;
    if (started > 0) {
      let timer: TimerHandle | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = this.options.clock.setTimer(resolve, Math.max(0, timeoutMs));
      });
      const settled = (): Promise<void> => Promise.allSettled([...this.inFlight.values()]).then(() => undefined);
      await Promise.race([settled(), timeout]);
      timer?.cancel();
      if (this.inFlight.size > 0) {
        this.abort.abort();
        // Receivers answer an abort at once; the bound only guards against one that does not.
        let grace: TimerHandle | undefined;
        await Promise.race([settled(), new Promise<void>((resolve) => (grace = this.options.clock.setTimer(resolve, 1000)))]);
        grace?.cancel();
      }
    }
    const pending = this.abandoned.length + this.inFlight.size;
    if (this.abandoned.length > 0) await this.options.store.releaseClaims(this.abandoned.splice(0), this.options.replica, true).catch(() => undefined);
    return { finished: started - pending, pending };
  }

  private schedule(delayMs: number): void {
    const at = this.options.clock.now() + delayMs;
    if (this.tickTimer !== undefined && this.tickAt <= at) return;
    this.tickTimer?.cancel();
    this.tickAt = at;
    this.tickTimer = this.options.clock.setTimer(() => {
      this.tickTimer = undefined;
      this.tickAt = Number.POSITIVE_INFINITY;
      this.tick();
    }, delayMs);
  }

  private tick(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    this.tickAgain = false;
    this.tickRun = this.claimAndSend()
      .catch((error: unknown) => {
        this.options.logger.log('error', 'delivery loop failed', { error: error instanceof Error ? error.message : String(error) });
        // The store is unavailable: look again after the poll interval.
        return this.options.pollIntervalMs;
      })
      .then((nextWake) => {
        this.ticking = false;
        if (this.running) this.schedule(this.tickAgain ? 0 : Math.max(1, nextWake));
      });
  }

  /** One round over the receivers; resolves with how long until the next look. */
  private async claimAndSend(): Promise<number> {
    const { clock, store, receivers, concurrency, receiverConcurrency, pollIntervalMs, replica, leaseMs } = this.options;
    const now = clock.now();
    let nextWake = pollIntervalMs;
    // The store does not answer (its probe says so): wait for it rather than fail every claim.
    if (!store.healthy()) return pollIntervalMs;
    const count = this.names.length;
    const first = count === 0 ? 0 : this.nextFirst++ % count;
    // Each receiver is asked for its own due rows, up to its own free slots: one that is paced
    // or hung costs a query, never the other receivers' turn.
    for (let step = 0; step < count && this.inFlight.size < concurrency && this.running; step += 1) {
      const name = this.names[(first + step) % count] ?? '';
      const receiver = receivers.get(name);
      const busy = this.inFlightByReceiver.get(name) ?? 0;
      const cap = receiver?.local === true ? concurrency : receiverConcurrency;
      if (receiver === undefined || busy >= cap) continue;
      // Infinite while the destination's sends in flight are at its burst: their answers wake the loop.
      const wait = await store.pacingWait(name, now);
      if (wait > 0) {
        nextWake = Math.min(nextWake, wait);
        continue;
      }
      const room = Math.min(cap - busy, concurrency - this.inFlight.size);
      // The claim outlasts the send (twice the receiver's timeout), and no longer: a replica that dies leaves it to expire.
      const claims = await store.claimDue(name, { replica, now, leaseMs: receiver.timeoutMs === undefined ? leaseMs : Math.max(5_000, 2 * receiver.timeoutMs), limit: room });
      const unstarted: number[] = [];
      for (const delivery of claims) {
        if (unstarted.length > 0 || !this.running || this.inFlight.size >= concurrency || (this.inFlightByReceiver.get(name) ?? 0) >= cap) {
          unstarted.push(delivery.id);
          continue;
        }
        const pace = await store.takePacingSlot(name, clock.now());
        if (!pace.ok) {
          if (Number.isFinite(pace.retryAfterMs)) nextWake = Math.min(nextWake, pace.retryAfterMs);
          unstarted.push(delivery.id);
          continue;
        }
        this.begin(delivery, receiver);
      }
      // Rows claimed but not started go back at once: another tick (or replica) takes them.
      if (unstarted.length > 0) await store.releaseClaims(unstarted, replica, false);
    }
    return nextWake;
  }

  private begin(delivery: ClaimedDelivery, receiver: Receiver): void {
    this.track(delivery.id, receiver.name, this.send(delivery, receiver));
  }

  /** Counts a send in flight until its outcome is recorded (its claim keeps it from other claims meanwhile). */
  private track(id: number, receiver: string, work: Promise<void>): void {
    this.inFlightByReceiver.set(receiver, (this.inFlightByReceiver.get(receiver) ?? 0) + 1);
    const run = work
      .catch(async (error: unknown) => {
        this.options.logger.log('error', 'delivery bookkeeping failed', { delivery: id, error: error instanceof Error ? error.message : String(error) });
        // The outcome was not recorded: the row is still pending; give the claim back so it is sent again.
        await this.options.store.releaseClaims([id], this.options.replica, true).catch(() => undefined);
      })
      .finally(() => {
        this.inFlight.delete(id);
        this.inFlightByReceiver.set(receiver, (this.inFlightByReceiver.get(receiver) ?? 1) - 1);
        this.wake();
      });
    this.inFlight.set(id, run);
  }

  /** Sends one delivery whose pacing slot was taken, gives the slot back and records the outcome. */
  private async send(delivery: ClaimedDelivery, receiver: Receiver): Promise<void> {
    const { clock, store, logger } = this.options;
    let notification: Notification;
    let result: SendResult;
    try {
      notification = await this.notificationOf(delivery);
      result = await this.attempt(notification, receiver);
    } finally {
      // The slot is given back whatever happened, so a failure here can never hold the destination.
      store.settlePacingSlot(receiver.name, clock.now()).catch((error: unknown) => {
        logger.log('warn', 'recording a send in the pace failed', { receiver: receiver.name, error: error instanceof Error ? error.message : String(error) });
      });
    }
    // Aborted by shutdown: record nothing, so the row stays pending and resumes on the next start.
    if (this.abort.signal.aborted) {
      this.abandoned.push(delivery.id);
      return;
    }
    await this.record(delivery, notification, receiver, result);
  }

  private async attempt(notification: Notification, receiver: Receiver): Promise<SendResult> {
    try {
      return await receiver.send(notification, this.abort.signal);
    } catch (error) {
      // Receivers should not throw; if one does, treat it as transient rather than lose the delivery.
      return { ok: false, retryable: true, reason: 'exception', detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Records the outcome; a claim lost meanwhile (another replica took the row over) changes nothing. */
  private async complete(delivery: DueDelivery, outcome: DeliveryOutcome): Promise<void> {
    const kept = await this.options.store.complete(delivery.id, this.options.replica, outcome);
    if (!kept) this.options.logger.log('warn', 'delivery claim lost before its outcome was recorded', { delivery: delivery.id, receiver: delivery.receiver, outcome: outcome.kind });
  }

  private async record(delivery: DueDelivery, notification: Notification, receiver: Receiver, result: SendResult): Promise<void> {
    const { clock, store, metrics, logger, policy } = this.options;
    const group = notification.group;
    const now = clock.now();
    const decision = decideRetry(result, delivery.attempts, now, delivery.expiresAt, policy, this.random);
    const labels = { receiver: receiver.name };
    switch (decision.action) {
      case 'sent': {
        const thread = result.ok && group !== undefined && notification.thread === undefined ? result.thread : undefined;
        await this.complete(delivery, { kind: 'sent', now, ...(thread !== undefined && group !== undefined ? { thread: { threadKey: group.threadKey, ref: thread } } : {}) });
        metrics.sent.inc(labels);
        metrics.latency.observe((now - delivery.createdAt) / 1000, labels);
        return;
      }
      case 'retry': {
        if (result.ok) return;
        // The destination is rate limited as a whole: hold every send to it, from any receiver (and replica), durably; first, before anything else can start one.
        const paused = result.retryAfterMs === undefined ? undefined : store.pauseDestination(receiver.name, now + result.retryAfterMs, now);
        const recorded = this.complete(delivery, { kind: 'retry', attempts: decision.attempts, at: decision.at, error: `${result.reason}: ${result.detail}`, now });
        metrics.failed.inc({ ...labels, reason: result.reason });
        metrics.retried.inc({ ...labels, reason: result.reason });
        await Promise.all([paused, recorded]);
        logger.log('warn', 'delivery failed, will retry', { delivery: delivery.id, receiver: receiver.name, reason: result.reason, detail: result.detail, retry_at: new Date(decision.at).toISOString() });
        return;
      }
      case 'dead': {
        const reason = result.ok ? 'unknown' : result.reason;
        await this.complete(delivery, { kind: 'dead', attempts: decision.attempts, error: decision.why, now });
        metrics.failed.inc({ ...labels, reason });
        metrics.dead.inc(labels);
        logger.log('error', 'delivery dead-lettered', { delivery: delivery.id, receiver: receiver.name, reason, detail: decision.why });
        return;
      }
    }
  }

  /** The notification a delivery sends: one event, or a group's counts and samples with its thread. */
  private async notificationOf(delivery: ClaimedDelivery): Promise<Notification> {
    const base = { idempotencyKey: delivery.idempotencyKey, receiver: delivery.receiver, route: delivery.route, ...(delivery.inDoubt ? { inDoubt: true } : {}) };
    if (delivery.payload === null) return { ...base, events: [deserializeEvent(delivery.eventJson)] };
    const payload = JSON.parse(delivery.payload) as GroupPayload;
    const events = payload.events.map((event) => deserializeEvent(JSON.stringify(event)));
    const thread = payload.group.seq > 0 ? await this.options.store.thread(payload.group.threadKey, delivery.receiver) : undefined;
    return { ...base, events, group: payload.group, ...(thread !== undefined ? { thread } : {}) };
  }
}
