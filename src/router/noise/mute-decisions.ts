/**
 * The mute stage, before grouping (Alertmanager's inhibit and silence stages): a muted event is
 * stored and counted but planned for no receiver. Both stores decide with this, inside the
 * transaction that stores the event, after recording the event's own inhibition sources.
 */
import type { MuteReason, RoutedEvent } from '../store/store.ts';

/** When an inhibition (rule, equal key) ends, if one is known. */
export type InhibitionLookup = (rule: string, key: string) => number | undefined;

/** Why the event is muted: a silence first, else the first rule (in rule order) whose source is active. */
export function decideMute(event: RoutedEvent, active: InhibitionLookup): MuteReason | undefined {
  if (event.silencedBy !== undefined) return { kind: 'silence', ref: event.silencedBy };
  for (const target of event.inhibition.targets) {
    if ((active(target.rule, target.key) ?? 0) > event.receivedAt) return { kind: 'inhibit', ref: target.rule };
  }
  return undefined;
}
