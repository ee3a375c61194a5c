/**
 * Dependency order: Falco expands a nested list only if it was defined earlier, and resolves a
 * macro inside a macro only if it was defined earlier; so each item follows what it uses.
 * Ties keep source order, which keeps the output deterministic.
 */
import type { LoweredItem } from './lowered.ts';

export function dependencyOrder(items: readonly LoweredItem[]): LoweredItem[] {
  const byName = new Map(items.map((item) => [item.name, item]));
  const done = new Set<LoweredItem>();
  const visiting = new Set<LoweredItem>();
  const ordered: LoweredItem[] = [];
  const visit = (item: LoweredItem): void => {
    if (done.has(item) || visiting.has(item)) return; // a cycle is reported by the checker
    visiting.add(item);
    for (const name of item.uses) {
      const dependency = byName.get(name);
      if (dependency !== undefined && dependency !== item) visit(dependency);
    }
    visiting.delete(item);
    done.add(item);
    ordered.push(item);
  };
  items.forEach(visit);
  return ordered;
}
