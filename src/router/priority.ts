/**
 * Falco's priorities, in Falco's order. The router compares them (`priority >= warning`) and
 * colours messages by them, so they live in one place.
 */

/** Falco's priority names, most severe first, spelled as Falco writes them in JSON output. */
export const priorities = ['Emergency', 'Alert', 'Critical', 'Error', 'Warning', 'Notice', 'Informational', 'Debug'] as const;

export type Priority = (typeof priorities)[number];

const byLowerName = new Map<string, Priority>(priorities.map((name) => [name.toLowerCase(), name]));
// Falco's own config and Falcosidekick both accept "info" for Informational.
byLowerName.set('info', 'Informational');

/** The canonical priority for a name in any case (`warning`, `WARNING`, `info`), or undefined. */
export function parsePriority(text: string): Priority | undefined {
  return byLowerName.get(text.trim().toLowerCase());
}

/** Severity rank: 0 for Debug up to 7 for Emergency. */
export function priorityRank(priority: Priority): number {
  return priorities.length - 1 - priorities.indexOf(priority);
}
