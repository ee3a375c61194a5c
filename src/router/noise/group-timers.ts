/**
 * The group timer: one local timer armed at the store's earliest due group (`nextGroupTimer`); on
 * firing, the store plans every due group's notification in one transaction (`flushDueGroups`).
 * Ingest arms it earlier when an event makes a group due sooner. With several replicas on one
 * database each arms its own and the store's timer leases make a group fire once; `pollMs` re-reads
 * the store's earliest time so a group another replica made due is not missed.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { RouterMetrics } from '../metrics.ts';
import type { RouterStore } from '../store/store.ts';

export interface GroupTimersOptions {
  readonly store: Pick<RouterStore, 'nextGroupTimer' | 'flushDueGroups'>;
  readonly replica: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: RouterMetrics;
  /** A route path's label, for metrics. */
  readonly routeLabel: (route: string) => string;
  /** Called after notifications were planned, to wake the delivery worker. */
  readonly onPlanned: () => void;
  /** Re-read the store's earliest due time this often (replicas); never when undefined. */
  readonly pollMs?: number;
}

export class GroupTimers {
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private poll: TimerHandle | undefined;
  private pending: Promise<void> = Promise.resolve();
  private stopped = true;

  constructor(private readonly options: GroupTimersOptions) {}

  /** Resumes the groups a previous run left: those due notify at once. */
  start(): void {
    this.stopped = false;
    this.rescan();
    this.schedulePoll();
  }

  /** Stops the timers; state stays in the store. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.poll?.cancel();
    this.poll = undefined;
  }

  /** Resolves when the flushes started so far are committed (tests driving a manual clock, shutdown). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Fires at `at` at the latest. */
  arm(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.options.clock.setTimer(() => this.fire(), Math.max(0, at - this.options.clock.now()));
  }

  private schedulePoll(): void {
    const { pollMs } = this.options;
    if (pollMs === undefined || this.stopped) return;
    this.poll = this.options.clock.setTimer(() => {
      this.rescan();
      this.schedulePoll();
    }, pollMs);
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    // One flush at a time: a second firing waits for the first to commit.
    this.pending = this.pending.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    const { store, clock, logger, metrics, replica } = this.options;
    if (this.stopped) return;
    try {
      const result = await store.flushDueGroups(replica, clock.now());
      for (const notification of result.notifications) metrics.groupNotifications.inc({ route: this.options.routeLabel(notification.route), kind: notification.first ? 'first' : 'update' });
      if (result.deliveries > 0) this.options.onPlanned();
      await this.rescanNow();
    } catch (error) {
      logger.log('error', 'planning group notifications failed', { error: error instanceof Error ? error.message : String(error) });
      // Try again a little later; the stored state is what it was before.
      this.arm(clock.now() + 1000);
    }
  }

  private rescan(): void {
    this.rescanNow().catch((error: unknown) => {
      this.options.logger.log('warn', 'reading the group timers failed', { error: error instanceof Error ? error.message : String(error) });
      this.arm(this.options.clock.now() + 1000);
    });
  }

  private async rescanNow(): Promise<void> {
    const at = await this.options.store.nextGroupTimer(this.options.clock.now());
    if (at !== undefined) this.arm(at);
  }
}
