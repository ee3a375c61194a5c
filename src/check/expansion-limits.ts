/**
 * How far falx expands Falco lists and macros before it stops and says so. Falco (0.44) has no such
 * limits: it pastes list items and clones macro conditions however large they get, so a file of a
 * few hundred bytes can ask for billions of them (lists or macros that double at each level). The
 * limits are three orders of magnitude above real rule files (upstream rules files: at most 102
 * items in a list, 995 nodes and items in an expanded condition), so only such blow-ups reach
 * them; every limit reached is reported where it is reached (FX1022, FX1023, FX1024).
 */

/** Items of one list once the lists named as its items are pasted in. */
export const listItemsLimit = 1_000_000;

/** Nodes plus pasted list items of one condition once its macros are inlined. */
export const conditionSizeLimit = 1_000_000;

/** List items pasted into the conditions of one run, all conditions together. */
export const pastedItemsLimit = 4_000_000;

/** A count as the limits' messages print it: 1,048,576. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US', { maximumFractionDigits: 0 });
}
