/**
 * `falx import`: the element type of each imported Falco list, inferred from the fields the list
 * is compared with (`fd.sport in (web_ports)` makes `web_ports` a `port[]`). A list nested in
 * another counts the outer list's uses too. A list gets a typed element only when the typed fields
 * it is used with agree and every item is valid for that type; otherwise it stays `string[]`,
 * which Falco's own (untyped) lists always were.
 */
import type { Expr } from '../language/ast.ts';
import type { ElementType } from '../language/falx-ast.ts';
import { invalidElement } from './list-elements.ts';

/** The element type a list compared with each field would have. */
const fieldElementTypes: Readonly<Record<string, ElementType>> = {
  'fd.sport': 'port', 'fd.cport': 'port', 'fd.lport': 'port', 'fd.rport': 'port', 'fd.port': 'port',
  'fd.snet': 'net', 'fd.cnet': 'net', 'fd.lnet': 'net', 'fd.rnet': 'net', 'fd.net': 'net',
  'fd.sip': 'ip', 'fd.cip': 'ip', 'fd.lip': 'ip', 'fd.rip': 'ip', 'fd.ip': 'ip',
  'fd.sip.name': 'domain', 'fd.cip.name': 'domain', 'fd.lip.name': 'domain', 'fd.rip.name': 'domain',
  'evt.type': 'evtype',
  'proc.name': 'binary', 'proc.pname': 'binary', 'proc.aname': 'binary',
  'fd.name': 'path', 'fd.directory': 'path',
  'container.image.repository': 'image',
};

/** For each list name, the fields it is compared with (`field in (list)`), in the given conditions. */
export function listUses(conditions: readonly Expr[], listNames: ReadonlySet<string>): Map<string, Set<string>> {
  const uses = new Map<string, Set<string>>();
  const walk = (expr: Expr): void => {
    switch (expr.kind) {
      case 'And':
      case 'Or':
        return expr.operands.forEach(walk);
      case 'Not':
        return walk(expr.operand);
      case 'BinaryCheck': {
        if (expr.right.kind !== 'List') return;
        const field = expr.left.kind === 'Field' ? expr.left.name : `${expr.left.name}()`;
        for (const item of expr.right.items) {
          if (item.quoted || !listNames.has(item.text)) continue;
          const fields = uses.get(item.text) ?? new Set<string>();
          fields.add(field);
          uses.set(item.text, fields);
        }
        return;
      }
      default:
        return;
    }
  };
  conditions.forEach(walk);
  return uses;
}

/**
 * The element type of a list given the fields it is used with (its own uses and those of the lists
 * it is nested in) and its item texts.
 */
export function inferElementType(fields: ReadonlySet<string>, items: readonly string[]): ElementType {
  // Fields outside the table are string-like: every element type fits them, so they do not vote.
  const candidates = new Set<ElementType>();
  for (const field of fields) {
    const type = fieldElementTypes[field];
    if (type !== undefined) candidates.add(type);
  }
  if (candidates.size !== 1) return 'string';
  const [type] = candidates;
  if (type === undefined) return 'string';
  return items.every((item) => invalidElement(type, item) === undefined) ? type : 'string';
}
