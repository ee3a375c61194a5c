/**
 * Time as the router sees it. Everything that waits or stamps goes through a `Clock`, so tests can
 * drive timers and the outbox's schedule deterministically.
 */

/** A cancellable timer handle. */
export interface TimerHandle {
  cancel(): void;
}

/** The router's source of time and timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` after `ms` milliseconds. The timer never keeps the process alive by itself. */
  setTimer(fn: () => void, ms: number): TimerHandle;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return { cancel: () => clearTimeout(timer) };
  },
};
