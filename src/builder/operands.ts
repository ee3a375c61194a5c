/**
 * Field operands: a field (or a transformer of fields) with exactly the operators its type
 * supports (src/check/rules/operator-support.ts) and the values its type takes. One runtime class
 * has every operator; the types of {@link FieldOperand} expose only the ones that fit the kind, so
 * `f.proc.pid.contains(1)` or `f.fd.sip.glob('*')` does not compile.
 */
import type { BinaryOperator, FieldRef, RightOperand, Transformer, TransformerName, Value } from '../language/ast.ts';
import { condition, type Condition } from './conditions.ts';
import type { AcceptedElement, FieldKind } from './kinds.ts';
import { isList, listName, type List } from './list-ref.ts';
import { conditionValue, synthetic } from './nodes.ts';
import type { CheckScalar, RefusalOf, ScalarOf } from './values.ts';

const operandKey = Symbol.for('falx.builder.operand');

/** What an operand is at run time: its AST and what it allows. */
export interface OperandInfo {
  readonly node: FieldRef | Transformer;
  readonly kind: FieldKind;
  /** Whether transformers apply to it. */
  readonly transform: boolean;
  /** Whether `val()` may name it. */
  readonly rhs: boolean;
}

/** `val(field)`: another field's value on the right of an operator, typed by the field's kind. */
export interface FieldValueRef<K extends FieldKind> {
  readonly kind: 'FieldValue';
  readonly field: FieldRef;
  /** The kind it compares as (type-level only: ports compare as numbers). */
  readonly compares?: Comparable<K>;
}

type Comparable<K extends FieldKind> = K extends 'port' | 'numeric' ? 'numeric' : K extends 'evtype' ? 'string' : K;

/** The right-hand side of `eq`/`ne`/`lt`...: a value of the kind, or `val()` of a field of a comparable kind. */
export type Operand<K extends FieldKind, V> = CheckScalar<K, V> | FieldValueRef<ComparableKinds<K>>;
type ComparableKinds<K extends FieldKind> = K extends 'port' | 'numeric' ? 'port' | 'numeric' : K extends 'evtype' | 'string' ? 'evtype' | 'string' : K;

/** The items of `in`/`intersects`: a list, or an array of values and lists. */
export type Items<K extends FieldKind> = List<AcceptedElement<K>> | readonly (ScalarOf<K> | List<AcceptedElement<K>>)[];

/** Every operand has `exists`. */
export interface Exists {
  /** `field exists`. */
  exists(): Condition;
}

/** `=` and `!=`. */
export interface Equality<K extends FieldKind> {
  /** `field = value` (or `= val(other)`). */
  eq<const V extends ScalarOf<K>>(value: Operand<K, V>): Condition;
  /** `field != value`. */
  ne<const V extends ScalarOf<K>>(value: Operand<K, V>): Condition;
}

/** `<`, `<=`, `>`, `>=`. */
export interface Ordering<K extends FieldKind> {
  /** `field < value`. */
  lt<const V extends ScalarOf<K>>(value: Operand<K, V>): Condition;
  /** `field <= value`. */
  le<const V extends ScalarOf<K>>(value: Operand<K, V>): Condition;
  /** `field > value`. */
  gt<const V extends ScalarOf<K>>(value: Operand<K, V>): Condition;
  /** `field >= value`. */
  ge<const V extends ScalarOf<K>>(value: Operand<K, V>): Condition;
}

/** `in` and `intersects`. */
export interface Membership<K extends FieldKind> {
  /** `field in (a, b, list)`. */
  in<const V extends Items<K>>(values: V & RefusalOf<CheckItems<K, V>>): Condition;
  /** `field intersects (a, b, list)`. */
  intersects<const V extends Items<K>>(values: V & RefusalOf<CheckItems<K, V>>): Condition;
}

type CheckItems<K extends FieldKind, V> = V extends readonly unknown[] ? { readonly [I in keyof V]: V[I] extends List ? V[I] : CheckScalar<K, V[I]> } : unknown;

/** The string operators. */
export interface Text {
  /** `field contains text`. */
  contains(text: string): Condition;
  /** `field icontains text` (case-insensitive). */
  icontains(text: string): Condition;
  /** `field startswith text`. */
  startswith(text: string): Condition;
  /** `field endswith text`. */
  endswith(text: string): Condition;
  /** `field glob pattern`. */
  glob(pattern: string): Condition;
  /** `field iglob pattern` (case-insensitive). */
  iglob(pattern: string): Condition;
  /** `field regex pattern` (RE2, the checker validates it). */
  regex(pattern: string): Condition;
  /** `field pmatch (paths)`: the field is below one of the paths. */
  pmatch(paths: Items<'string'>): Condition;
}

/** The buffer operators (byte values are hex text for `bcontains`/`bstartswith`). */
export interface Bytes {
  /** `field contains text`. */
  contains(text: string): Condition;
  /** `field startswith text`. */
  startswith(text: string): Condition;
  /** `field endswith text`. */
  endswith(text: string): Condition;
  /** `field bcontains hex`. */
  bcontains(hex: string): Condition;
  /** `field bstartswith hex`. */
  bstartswith(hex: string): Condition;
}

/** The operators of each kind, as libsinsp's `flt_is_comparable` allows them. */
export type OperatorsOf<K extends FieldKind> =
  K extends 'string' ? Exists & Equality<K> & Ordering<K> & Membership<K> & Text
  : K extends 'buffer' ? Exists & Equality<K> & Membership<K> & Bytes
  : K extends 'numeric' | 'port' | 'dynamic' ? Exists & Equality<K> & Ordering<K> & Membership<K>
  : K extends 'bool' | 'ipaddr' | 'ipnet' | 'evtype' ? Exists & Equality<K> & Membership<K>
  : K extends 'list' ? Exists & Membership<K>
  : never;

/**
 * A field (or transformed field) of kind `K`. `T`: whether transformers apply to it; `R`: whether
 * `val()` may name it.
 */
export type FieldOperand<K extends FieldKind, T extends boolean = boolean, R extends boolean = boolean> = OperatorsOf<K> & {
  readonly [operandKey]: OperandInfo & { readonly kind: K; readonly transform: T; readonly rhs: R };
};

/** Any field operand. */
export type AnyOperand = { readonly [operandKey]: OperandInfo };

/** The run-time operand: every operator; the types above decide which ones a field shows. */
class RuntimeOperand {
  readonly [operandKey]: OperandInfo;

  constructor(info: OperandInfo) {
    this[operandKey] = info;
  }

  private check(op: BinaryOperator, right: RightOperand): Condition {
    return condition({ kind: 'BinaryCheck', left: this[operandKey].node, op, right, loc: synthetic });
  }

  private single(op: BinaryOperator, value: unknown): Condition {
    return this.check(op, rightValue(value));
  }

  private items(op: BinaryOperator, values: unknown): Condition {
    const list = isList(values) ? [values] : (values as readonly unknown[]);
    const items: Value[] = list.map((item) => (isList(item) ? { kind: 'Value', text: listName(item), quoted: false, loc: synthetic } : conditionValue(scalar(item))));
    return this.check(op, { kind: 'List', items, loc: synthetic });
  }

  exists(): Condition {
    return condition({ kind: 'UnaryCheck', left: this[operandKey].node, op: 'exists', loc: synthetic });
  }

  eq(value: unknown): Condition { return this.single('=', value); }
  ne(value: unknown): Condition { return this.single('!=', value); }
  lt(value: unknown): Condition { return this.single('<', value); }
  le(value: unknown): Condition { return this.single('<=', value); }
  gt(value: unknown): Condition { return this.single('>', value); }
  ge(value: unknown): Condition { return this.single('>=', value); }
  contains(text: string): Condition { return this.single('contains', text); }
  icontains(text: string): Condition { return this.single('icontains', text); }
  bcontains(hex: string): Condition { return this.single('bcontains', hex); }
  startswith(text: string): Condition { return this.single('startswith', text); }
  bstartswith(hex: string): Condition { return this.single('bstartswith', hex); }
  endswith(text: string): Condition { return this.single('endswith', text); }
  glob(pattern: string): Condition { return this.single('glob', pattern); }
  iglob(pattern: string): Condition { return this.single('iglob', pattern); }
  regex(pattern: string): Condition { return this.single('regex', pattern); }
  pmatch(paths: unknown): Condition { return this.items('pmatch', paths); }
  in(values: unknown): Condition { return this.items('in', values); }
  intersects(values: unknown): Condition { return this.items('intersects', values); }
}

function scalar(value: unknown): string | number | bigint | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  throw new TypeError(`falx: ${String(value)} is not a value (a string, number or boolean)`);
}

function rightValue(value: unknown): RightOperand {
  if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'FieldValue') {
    return { kind: 'FieldValue', field: (value as FieldValueRef<FieldKind>).field, loc: synthetic };
  }
  return conditionValue(scalar(value));
}

/** An operand for a field reference or transformer (the casts of the accessors happen here only). */
export function operand<K extends FieldKind, T extends boolean, R extends boolean>(info: OperandInfo & { kind: K; transform: T; rhs: R }): FieldOperand<K, T, R> {
  return new RuntimeOperand(info) as unknown as FieldOperand<K, T, R>;
}

/** The run-time description of an operand. */
export function operandInfo(o: AnyOperand): OperandInfo {
  return o[operandKey];
}

/** A field whose type transformers take: strings and buffers that allow them. */
type Transformable = FieldOperand<'string' | 'buffer', true, boolean>;

function transformer<K extends FieldKind>(name: TransformerName, input: AnyOperand, kind: K): FieldOperand<K, true, false> {
  const node: Transformer = { kind: 'Transformer', name, args: [operandInfo(input).node], loc: synthetic };
  return operand({ node, kind, transform: true, rhs: false });
}

/** `tolower(field)`: the field's text in lower case. */
export function tolower(field: Transformable): FieldOperand<'string', true, false> {
  return transformer('tolower', field, 'string');
}

/** `toupper(field)`: the field's text in upper case. */
export function toupper(field: Transformable): FieldOperand<'string', true, false> {
  return transformer('toupper', field, 'string');
}

/** `b64(field)`: the field's text decoded from base64. */
export function b64(field: Transformable): FieldOperand<'string', true, false> {
  return transformer('b64', field, 'string');
}

/** `basename(field)`: the last path component of the field. */
export function basename(field: Transformable): FieldOperand<'string', true, false> {
  return transformer('basename', field, 'string');
}

/** `len(field)`: the length of a string, buffer or list field (a number). */
export function len(field: FieldOperand<'string' | 'buffer' | 'list', true, boolean>): FieldOperand<'numeric', true, false> {
  return transformer('len', field, 'numeric');
}

/** `val(field)`: compare with another field's value (`f.proc.pname.eq(val(f.proc.name))`). */
export function val<K extends FieldKind>(field: FieldOperand<K, boolean, true>): FieldValueRef<K> {
  const node = operandInfo(field).node;
  if (node.kind !== 'Field') throw new TypeError('falx: val() takes a field, not a transformer');
  return { kind: 'FieldValue', field: node };
}

/** The kind of an operand type (`KindOf<typeof f.fd.sport>` is `'port'`). */
export type KindOf<O> = O extends { readonly [operandKey]: { readonly kind: infer K extends FieldKind } } ? K : never;
