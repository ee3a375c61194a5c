/**
 * What the Falcosidekick receiver posts: each event of a notification as one Falco `http_output`
 * body, Falcosidekick's input. falx keeps the event it validated, not the bytes it received, so
 * the body is rebuilt from it, in Falco's key names; what can differ from Falco's own body: the
 * priority is spelled canonically (`Informational` for `info`), an event without `source` says
 * `syscall`, one without `time` carries its receipt time, integers beyond 2^53 are decimal strings,
 * and falx's `uuid` is included (Falcosidekick replaces it with its own). Pure.
 */
import { eventToJson } from '../event.ts';
import type { Notification } from '../notification.ts';

/** One body per event, in the notification's order (for a group: its lead event and samples). */
export function formatSidekickBodies(notification: Notification): string[] {
  return notification.events.map((event) => JSON.stringify(eventToJson(event)));
}
