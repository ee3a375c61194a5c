/**
 * The constant texts on the right of an operator. A bare list item that names a Falco list
 * expands to that list's items, recursively, as Falco's text substitution does. A list whose first
 * item has a bad escape is empty: libsinsp swallows that error (`ListLiteral.droppedHead`).
 * A Falco list item written with its own quotes (`"10.0.0.0/8"`) is a quoted string once
 * substituted, so its quotes go and it is not looked up as a list.
 */
import type { ListLiteral, Value } from '../language/ast.ts';

export function rightItems(right: Value | ListLiteral, lists: ReadonlyMap<string, readonly string[]>): string[] {
  if (right.kind === 'Value') return [right.text];
  if (right.droppedHead !== undefined) return [];
  const items: string[] = [];
  for (const item of right.items) {
    if (item.quoted) items.push(item.text);
    else expand(item.text, lists, items, []);
  }
  return items;
}

function expand(text: string, lists: ReadonlyMap<string, readonly string[]>, into: string[], path: readonly string[]): void {
  const quoted = /^"(.*)"$|^'(.*)'$/s.exec(text);
  if (quoted !== null) {
    into.push(quoted[1] ?? quoted[2] ?? '');
    return;
  }
  const list = lists.get(text);
  if (list === undefined) {
    into.push(text);
    return;
  }
  if (path.includes(text)) throw new Error(`list "${text}" refers to itself through ${[...path, text].join(' -> ')}`);
  for (const item of list) expand(item, lists, into, [...path, text]);
}
