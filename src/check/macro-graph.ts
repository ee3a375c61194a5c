/**
 * The graph of macros that refer to macros, walked without recursion: a chain of thousands of
 * macros (m2: m1, m3: m2, ...) is as deep as it is long, which a recursive walk cannot afford.
 * One depth-first walk reports each reference loop (FX2003) and gives the macros in dependency
 * order (a macro after every macro it refers to, except along a loop), so that facts about a
 * macro's expansion are computed once per macro, from those of the macros it uses.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Ruleset } from '../loader/ruleset.ts';
import type { MacroReference } from './check-expression.ts';

interface Frame {
  readonly name: string;
  readonly references: readonly MacroReference[];
  next: number;
}

/** Reports every reference loop and returns the macros of `edges` in dependency order. */
export function walkMacroGraph(edges: ReadonlyMap<string, readonly MacroReference[]>, ruleset: Ruleset, diagnostics: Diagnostic[]): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const stack: Frame[] = [];
  /** Where each macro on the current path stands in `stack`. */
  const onPath = new Map<string, number>();
  const enter = (name: string): void => {
    onPath.set(name, stack.length);
    stack.push({ name, references: edges.get(name) ?? [], next: 0 });
  };
  for (const root of edges.keys()) {
    if (done.has(root)) continue;
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const reference = top.references[top.next++];
      if (reference === undefined) {
        stack.pop();
        onPath.delete(top.name);
        done.add(top.name);
        if (edges.has(top.name)) order.push(top.name);
        continue;
      }
      const at = onPath.get(reference.name);
      if (at !== undefined) {
        const cycle = [...stack.slice(at).map((frame) => frame.name), reference.name];
        const macro = ruleset.macros.get(top.name);
        const span = macro?.condition?.span(reference.loc.start.offset, reference.loc.end.offset);
        diagnostics.push(diagnostic('FX2003', span ?? macro?.definitionSpan, { name: reference.name, path: cycle.map((n) => `"${n}"`).join(' -> ') }));
        continue;
      }
      if (!done.has(reference.name)) enter(reference.name);
    }
  }
  return order;
}
