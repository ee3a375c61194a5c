/**
 * AST nodes as the `.falx` parser makes them, built from TypeScript values. Every node gets the
 * same synthetic location: the real ones come from laying the module out as `.falx` text
 * (layout.ts), which is also how conditions get the text the checker reads.
 */
import type { Location, Value } from '../language/ast.ts';
import type { Literal, StringLit, Word } from '../language/falx-ast.ts';
import { isBareWord } from '../language/print-falx.ts';

/** The location of every built node until the module is laid out. */
export const synthetic: Location = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

/** Characters libsinsp reads as part of a bare value (grammar/condition.peggy `StringValue`). */
const bareValue = /^[^()"' \t\n\r\f\v=,]+$/;

/** A value in a condition: bare when libsinsp reads it back unchanged, else quoted. */
export function conditionValue(value: string | number | bigint | boolean): Value {
  const text = String(value);
  const quoted = typeof value === 'string' && !bareValue.test(text);
  return { kind: 'Value', text, quoted, loc: synthetic };
}

/** A `.falx` literal, as the parser reads the canonical text of `value`. */
export function literal(value: string | number | bigint | boolean | null): Literal {
  if (value === null || typeof value === 'boolean') return { kind: 'Constant', value, loc: synthetic };
  if (typeof value !== 'string') return { kind: 'Number', text: String(value), loc: synthetic };
  return isBareWord(value) ? word(value) : string(value);
}

/** A bare word (names, keys, element types). */
export function word(text: string): Word {
  return { kind: 'Word', text, loc: synthetic };
}

/** A double-quoted string. */
export function string(value: string): StringLit {
  return { kind: 'String', value, loc: synthetic };
}
