/**
 * When a long-running command (`falx serve`) should stop and drain: on SIGTERM or SIGINT, and when
 * the npm launcher that started it goes away. `npx falx serve` and `npm start` run falx under
 * `sh -c`; on SIGTERM npm passes the signal to that shell only, which dies without passing it on,
 * and falx would be left running, orphaned, with nobody to stop it. Under npm (which says so in
 * `npm_command`), losing the parent process is therefore a stop request too. Outside npm it is
 * not: `nohup falx serve &` must outlive the shell that started it.
 */

/** How often the parent is looked at: a launcher's exit is seen within this. */
const parentCheckMs = 250;

export interface StopRequest {
  /** Resolves with why the command should stop: `SIGTERM`, `SIGINT` or `launcher exited`. */
  readonly reason: Promise<string>;
  /** Stops listening (the command ended on its own). */
  dispose(): void;
}

export function listenForStop(env: Readonly<Record<string, string | undefined>>): StopRequest {
  let resolveReason: (reason: string) => void = () => undefined;
  const reason = new Promise<string>((resolve) => {
    resolveReason = resolve;
  });
  const onTerm = (): void => finish('SIGTERM');
  const onInt = (): void => finish('SIGINT');
  const launcher = env['npm_command'] === undefined ? undefined : process.ppid;
  const parentCheck = launcher === undefined ? undefined : setInterval(() => {
    if (process.ppid !== launcher) finish('launcher exited');
  }, parentCheckMs);
  // The check alone must not keep the process alive.
  parentCheck?.unref();
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  function dispose(): void {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    if (parentCheck !== undefined) clearInterval(parentCheck);
  }
  function finish(why: string): void {
    dispose();
    resolveReason(why);
  }
  return { reason, dispose };
}
