/**
 * The delivery worker: takes due deliveries from the outbox, paces them per destination (a Slack
 * channel), sends them and records the outcome. A paced send's slot is on disk before the request
 * leaves, and a Retry-After pauses the whole destination (every receiver posting to it), on disk
 * too (`pacing.ts`, `pacing-store.ts`), so neither concurrency nor a crash and restart lets a
 * channel go over its pace. A group notification is rebuilt from its stored payload and given the
 * thread its group's first message started; the thread a first message starts is recorded in the same
 * transaction that marks it sent. In-flight rows are tracked in memory only: after a crash they
 * are simply pending again.
 */
import type { Clock, TimerHandle } from './clock.ts';
import { deserializeEvent } from './event.ts';
import type { GroupStore } from './store/sqlite/group-store.ts';
import type { GroupPayload } from './noise/grouping.ts';
import type { Logger } from './logger.ts';
import type { RouterMetrics } from './metrics.ts';
import type { Notification } from './notification.ts';
import { Pacer } from './pacing.ts';
import type { PacingStore } from './store/sqlite/pacing-store.ts';
import type { DueDelivery, Outbox } from './store/sqlite/outbox.ts';
import type { Receiver, SendResult } from './receivers/receiver.ts';
import { decideRetry, type RetryPolicy } from './retry.ts';

export interface DeliveryWorkerOptions {
  readonly outbox: Outbox;
  readonly receivers: ReadonlyMap<string, Receiver>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RouterMetrics;
  /** Thread references of group notifications. */
  readonly threads: Pick<GroupStore, 'thread' | 'saveThread'>;
  /** Where each destination's pace and Retry-After pause persist (in the outbox's file). */
  readonly pacing: PacingStore;
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

export class DeliveryWorker {
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly inFlightByReceiver = new Map<string, number>();
  private readonly pacer: Pacer;
  private readonly abort = new AbortController();
  private tickTimer: TimerHandle | undefined;
  private tickAt = Number.POSITIVE_INFINITY;
  private running = false;
  private readonly random: () => number;
  /** Where the next tick starts its round over the receivers, so that none always goes first. */
  private nextFirst = 0;
  private readonly names: readonly string[];

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.random = options.random ?? Math.random;
    const now = options.clock.now();
    this.pacer = new Pacer(options.receivers.values(), options.pacing.loadAll(now), now);
    this.names = [...options.receivers.keys()];
  }

  /** Starts delivering, beginning with whatever a previous run left pending. */
  start(): void {
    this.running = true;
    this.deadLetterUnknownReceivers();
    this.schedule(0);
  }

  /**
   * Deliveries to receivers that are no longer configured can never be sent: dead-letter them
   * once at start (the receiver set is fixed for the life of the process).
   */
  private deadLetterUnknownReceivers(): void {
    const { outbox, clock, metrics } = this.options;
    const now = clock.now();
    for (const delivery of outbox.dueForUnknownReceivers(this.names, Number.MAX_SAFE_INTEGER, 100_000)) {
      void outbox.markDead(delivery.id, delivery.attempts, `receiver "${delivery.receiver}" is no longer configured`, now);
      metrics.dead.inc({ receiver: delivery.receiver });
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
   * An aborted delivery is not recorded: its row stays pending and is sent on the next start.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.running = false;
    this.tickTimer?.cancel();
    if (this.inFlight.size === 0) return;
    let timer: TimerHandle | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = this.options.clock.setTimer(resolve, Math.max(0, timeoutMs));
    });
    const settled = (): Promise<void> => Promise.allSettled([...this.inFlight.values()]).then(() => undefined);
    await Promise.race([settled(), timeout]);
    timer?.cancel();
    if (this.inFlight.size === 0) return;
    this.abort.abort();
    // Receivers answer an abort at once; the bound only guards against one that does not.
    let grace: TimerHandle | undefined;
    await Promise.race([settled(), new Promise<void>((resolve) => (grace = this.options.clock.setTimer(resolve, 1000)))]);
    grace?.cancel();
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
    const { clock, outbox, receivers, concurrency, receiverConcurrency, pollIntervalMs } = this.options;
    const now = clock.now();
    let nextWake = pollIntervalMs;
    try {
      const count = this.names.length;
      const first = count === 0 ? 0 : this.nextFirst++ % count;
      // Each receiver is asked for its own due rows, up to its own free slots: one that is paced
      // or hung costs a query, never the other receivers' turn.
      for (let step = 0; step < count && this.inFlight.size < concurrency; step += 1) {
        const name = this.names[(first + step) % count] ?? '';
        const receiver = receivers.get(name);
        const busy = this.inFlightByReceiver.get(name) ?? 0;
        const cap = receiver?.local === true ? concurrency : receiverConcurrency;
        if (receiver === undefined || busy >= cap) continue;
        // Infinite while the destination's sends in flight are at its burst: their answers wake the loop.
        const wait = this.pacer.wait(name, now);
        if (wait > 0) {
          nextWake = Math.min(nextWake, wait);
          continue;
        }
        // Rows in flight are still pending on disk until their outcome commits: ask for them too.
        const room = Math.min(cap - busy, concurrency - this.inFlight.size);
        for (const delivery of outbox.due(name, now, room + busy)) {
          if (this.inFlight.size >= concurrency || (this.inFlightByReceiver.get(name) ?? 0) >= cap) break;
          if (this.inFlight.has(delivery.id)) continue;
          const pace = this.pacer.take(name, now);
          if (!pace.ok) {
            if (Number.isFinite(pace.retryAfterMs)) nextWake = Math.min(nextWake, pace.retryAfterMs);
            break;
          }
          this.begin(delivery, receiver);
        }
      }
    } catch (error) {
      this.options.logger.log('error', 'delivery loop failed', { error: error instanceof Error ? error.message : String(error) });
    }
    this.schedule(Math.max(1, nextWake));
  }

  private begin(delivery: DueDelivery, receiver: Receiver): void {
    this.track(delivery.id, receiver.name, this.send(delivery, receiver));
  }

  /**
   * Keeps a delivery out of `due()` results until its outcome is durable: the outcome is
   * group-committed a moment after the send, and re-sending in between would duplicate it.
   */
  private track(id: number, receiver: string, work: Promise<void>): void {
    this.inFlightByReceiver.set(receiver, (this.inFlightByReceiver.get(receiver) ?? 0) + 1);
    const run = work
      .catch((error: unknown) => {
        this.options.logger.log('error', 'delivery bookkeeping failed', { delivery: id, error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.inFlight.delete(id);
        this.inFlightByReceiver.set(receiver, (this.inFlightByReceiver.get(receiver) ?? 1) - 1);
        this.wake();
      });
    this.inFlight.set(id, run);
  }

  /** Writes a destination's pacing state in the next group commit; resolves once it is durable. */
  private persistPace(receiver: string): Promise<void> {
    const destination = this.pacer.destination(receiver);
    // The state is read when the transaction runs: the latest one is written, never a stale copy.
    return this.options.outbox.transact(() => this.options.pacing.save(destination, this.pacer.snapshot(destination), this.options.clock.now()));
  }

  /** Sends one delivery whose pacing slot was taken, gives the slot back and records the outcome. */
  private async send(delivery: DueDelivery, receiver: Receiver): Promise<void> {
    const { clock } = this.options;
    const paced = this.pacer.isPaced(receiver.name);
    let notification: Notification;
    let result: SendResult;
    try {
      notification = this.notificationOf(delivery);
      // Durable before the request leaves: after a crash mid-send, the restarted router knows a message may have just arrived.
      if (paced) await this.persistPace(receiver.name);
      result = await this.attempt(notification, receiver);
    } finally {
      // The slot is given back whatever happened, so a failure here can never hold the destination.
      this.pacer.settle(receiver.name, clock.now());
      // Group-committed with the outcome below; losing it costs at most one interval after a crash.
      if (paced) this.persistPace(receiver.name).catch(() => undefined);
    }
    // Aborted by shutdown: record nothing, so the row stays pending and resumes on the next start.
    if (this.abort.signal.aborted) return;
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

  private async record(delivery: DueDelivery, notification: Notification, receiver: Receiver, result: SendResult): Promise<void> {
    const { clock, outbox, metrics, logger, policy } = this.options;
    const group = notification.group;
    const now = clock.now();
    const decision = decideRetry(result, delivery.attempts, now, delivery.expiresAt, policy, this.random);
    const labels = { receiver: receiver.name };
    switch (decision.action) {
      case 'sent': {
        const thread = result.ok && group !== undefined && notification.thread === undefined ? result.thread : undefined;
        await outbox.markSent(delivery.id, now, thread === undefined || group === undefined ? undefined : () => this.options.threads.saveThread(group.threadKey, receiver.name, thread, now));
        metrics.sent.inc(labels);
        metrics.latency.observe((now - delivery.createdAt) / 1000, labels);
        return;
      }
      case 'retry': {
        if (result.ok) return;
        const recorded = outbox.markRetry(delivery.id, decision.attempts, decision.at, `${result.reason}: ${result.detail}`, now);
        metrics.failed.inc({ ...labels, reason: result.reason });
        metrics.retried.inc({ ...labels, reason: result.reason });
        if (result.retryAfterMs !== undefined) {
          // The destination is rate limited as a whole: hold every send to it, from any receiver, and remember it on disk.
          this.pacer.pause(receiver.name, now + result.retryAfterMs);
          await this.persistPace(receiver.name);
        }
        await recorded;
        logger.log('warn', 'delivery failed, will retry', { delivery: delivery.id, receiver: receiver.name, reason: result.reason, detail: result.detail, retry_at: new Date(decision.at).toISOString() });
        return;
      }
      case 'dead': {
        const reason = result.ok ? 'unknown' : result.reason;
        await outbox.markDead(delivery.id, decision.attempts, decision.why, now);
        metrics.failed.inc({ ...labels, reason });
        metrics.dead.inc(labels);
        logger.log('error', 'delivery dead-lettered', { delivery: delivery.id, receiver: receiver.name, reason, detail: decision.why });
        return;
      }
    }
  }

  /** The notification a delivery sends: one event, or a group's counts and samples with its thread. */
  private notificationOf(delivery: DueDelivery): Notification {
    const base = { idempotencyKey: delivery.idempotencyKey, receiver: delivery.receiver, route: delivery.route };
    if (delivery.payload === null) return { ...base, events: [deserializeEvent(delivery.eventJson)] };
    const payload = JSON.parse(delivery.payload) as GroupPayload;
    const events = payload.events.map((event) => deserializeEvent(JSON.stringify(event)));
    const thread = payload.group.seq > 0 ? this.options.threads.thread(payload.group.threadKey, delivery.receiver) : undefined;
    return { ...base, events, group: payload.group, ...(thread !== undefined ? { thread } : {}) };
  }
}
