/**
 * Falco alert priorities, for the router's `priority` field. Ranked so that a larger number is more
 * severe: `priority >= warning` means warning or worse. Names are case-insensitive and `info` is
 * accepted for informational, as Falco's `falco_common::parse_priority` does.
 */
import { accept, reject, type ValueResult } from './result.ts';

export const priorityNames = ['debug', 'informational', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;

export function parsePriority(text: string): ValueResult<number> {
  const name = text.toLowerCase();
  const rank = priorityNames.indexOf((name === 'info' ? 'informational' : name) as (typeof priorityNames)[number]);
  return rank < 0 ? reject(`unknown priority ${text}; expected one of ${priorityNames.join(', ')}`) : accept(rank);
}
