/**
 * The typed AST of Falco conditions, as libsinsp's parser (libs 0.25) reads them.
 *
 * Every node carries a `loc`: offsets, lines and columns within the text that was parsed. Spans in
 * files are computed from it by the caller that knows where that text sits in its file.
 */

export interface Location {
  readonly start: { readonly offset: number; readonly line: number; readonly column: number };
  readonly end: { readonly offset: number; readonly line: number; readonly column: number };
}

export type Expr = AndExpr | OrExpr | NotExpr | MacroRef | UnaryCheck | BinaryCheck;

/** `a and b and c`: n-ary, as libsinsp builds it. */
export interface AndExpr {
  readonly kind: 'And';
  readonly operands: readonly Expr[];
  readonly loc: Location;
}

/** `a or b or c`: n-ary. */
export interface OrExpr {
  readonly kind: 'Or';
  readonly operands: readonly Expr[];
  readonly loc: Location;
}

export interface NotExpr {
  readonly kind: 'Not';
  readonly operand: Expr;
  readonly loc: Location;
}

/** A bare identifier in check position: a macro reference (`spawned_process`). */
export interface MacroRef {
  readonly kind: 'MacroRef';
  readonly name: string;
  readonly loc: Location;
}

/** `proc.name exists`. */
export interface UnaryCheck {
  readonly kind: 'UnaryCheck';
  readonly left: Operand;
  readonly op: 'exists';
  readonly loc: Location;
}

/** `field op value`, with an optional `oneof`/`anyof`/`allof` modifier. */
export interface BinaryCheck {
  readonly kind: 'BinaryCheck';
  readonly left: Operand;
  readonly op: BinaryOperator;
  readonly modifier?: Modifier;
  readonly right: RightOperand;
  readonly loc: Location;
}

export const numberOperators = ['<=', '<', '>=', '>'] as const;
export const stringOperators = [
  '==', '=', '!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains',
  'startswith', 'bstartswith', 'endswith', 'regex',
] as const;
export const listOperators = ['intersects', 'in', 'pmatch'] as const;
export const modifiers = ['oneof', 'anyof', 'allof'] as const;
export const transformerNames = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'] as const;

export type NumberOperator = (typeof numberOperators)[number];
export type StringOperator = (typeof stringOperators)[number];
export type ListOperator = (typeof listOperators)[number];
export type BinaryOperator = NumberOperator | StringOperator | ListOperator;
export type Modifier = (typeof modifiers)[number];
export type TransformerName = (typeof transformerNames)[number];

/** What stands on the left of an operator. */
export type Operand = FieldRef | Transformer;

/** What stands on the right of an operator. */
export type RightOperand = Value | ListLiteral | Transformer | FieldValue;

/** `proc.aname[2]`, `proc.env[HOME]`, `evt.arg.flags`. `arg` is the text between the brackets. */
export interface FieldRef {
  readonly kind: 'Field';
  readonly name: string;
  readonly arg?: string;
  readonly loc: Location;
}

/** `tolower(proc.name)`, `getopt(proc.args, "e:")[e]`. */
export interface Transformer {
  readonly kind: 'Transformer';
  readonly name: TransformerName;
  readonly args: readonly TransformerArg[];
  readonly selector?: string;
  readonly loc: Location;
}

/** `val(proc.pname)`: another field's value on the right-hand side. */
export interface FieldValue {
  readonly kind: 'FieldValue';
  readonly field: FieldRef;
  readonly loc: Location;
}

export type TransformerArg = FieldRef | Transformer | Value | TransformerList;

/** `(a, "b")` inside transformer arguments. */
export interface TransformerList {
  readonly kind: 'TransformerList';
  readonly items: readonly (FieldRef | Transformer | Value)[];
  readonly loc: Location;
}

/**
 * A constant: a bare word, a number, or a quoted string (already unescaped). `quoted` matters:
 * a bare word inside a list may name a Falco list, a quoted one never does.
 */
export interface Value {
  readonly kind: 'Value';
  readonly text: string;
  readonly quoted: boolean;
  readonly loc: Location;
}

/**
 * `(a, b, c)`. `droppedHead` keeps the raw text of a first item whose escape sequence is invalid:
 * libsinsp swallows that error and yields an empty list.
 */
export interface ListLiteral {
  readonly kind: 'List';
  readonly items: readonly Value[];
  readonly droppedHead?: { readonly raw: string; readonly escape: string; readonly loc: Location };
  readonly loc: Location;
}

export type Node = Expr | Operand | RightOperand | TransformerArg | TransformerList;
