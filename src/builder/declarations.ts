/**
 * Lists, macros, rules and exceptions: the `.falx` declarations, as functions whose arguments are
 * typed like the language's values. Each returns the same AST node the parser makes for the same
 * `.falx` text (see nodes.ts for how values become literals).
 */
import type { Expr } from '../language/ast.ts';
import type {
  ElementType, ExceptionDecl, ListDecl, ListElement, ListLiteralValue, Literal, MacroDecl, Property, PropertyValue, RuleDecl, RuleEntry, Spread,
} from '../language/falx-ast.ts';
import { canonicalRuleEntries } from '../language/print-falx.ts';
import { exprKey, exprOf, type Condition } from './conditions.ts';
import { declare, type FalxDeclaration } from './declaration.ts';
import { isList, listKey, listName, type List } from './list-ref.ts';
import { literal, string, synthetic, word } from './nodes.ts';
import { operandInfo, type FieldOperand, type KindOf } from './operands.ts';
import { recordSite } from './site.ts';
import type { CheckElement, ElementValue, RefusalOf, ScalarOf } from './values.ts';

/** A declared typed list: a declaration, and a list usable in conditions and spreads. */
export type ListDeclaration<E extends ElementType> = FalxDeclaration<ListDecl> & List<E>;

/** Items of a typed list: values of its element type, and other lists of the same type (spread). */
export type ListItems<E extends ElementType> = readonly (ElementValue<E> | List<E>)[];

type CheckItems<E extends ElementType, V> = { readonly [I in keyof V]: V[I] extends List ? V[I] : CheckElement<E, V[I]> };

/** `...name` for a list, a literal for a value. */
export function listElement(item: unknown): ListElement {
  if (isList(item)) return spread(listName(item));
  return literal(item as string | number | bigint | boolean);
}

function spread(name: string): Spread {
  return { kind: 'Spread', list: word(name), loc: synthetic };
}

/** `[a, b, ...list]` as a property value. */
export function listValue(items: readonly unknown[]): ListLiteralValue {
  return { kind: 'ListValue', items: items.map((item) => (Array.isArray(item) ? listValue(item) : listElement(item))), loc: synthetic };
}

/** `key: value`. */
export function property(key: string, value: PropertyValue): Property {
  return { kind: 'Property', key: word(key), value, loc: synthetic };
}

/** A condition as a property value or macro body. */
export function conditionText(c: Condition, joiner?: 'and' | 'or'): { kind: 'Condition'; expr: Expr; joiner?: 'and' | 'or'; loc: typeof synthetic } {
  return { kind: 'Condition', expr: exprOf(c), ...(joiner === undefined ? {} : { joiner }), loc: synthetic };
}

/**
 * `list name: type[] = [items]`: a typed list. Items must be values of the element type (a
 * `domain` list takes domain names, a `port` list ports 0-65535, ...) or other lists of that type;
 * the list is usable only with fields that accept its element type.
 *
 * @example const trustedDomains = list('trusted_domains', 'domain', ['github.com']);
 */
export function list<E extends ElementType, const V extends ListItems<E>>(name: string, element: E, items: V & RefusalOf<CheckItems<E, V>>): ListDeclaration<E> {
  const ast: ListDecl = { kind: 'List', name: word(name), elementType: word(element), items: items.map(listElement), loc: synthetic };
  return declare(ast, { [listKey]: { name, element } });
}

/** A declared macro: a declaration, and a condition that refers to the macro by name. */
export type MacroDeclaration = FalxDeclaration<MacroDecl> & Condition;

/** `macro name = condition`: a named condition, used as a condition itself. */
export function macro(name: string, body: Condition): MacroDeclaration {
  const ast: MacroDecl = { kind: 'Macro', name: word(name), condition: conditionText(body), loc: synthetic };
  return declare(ast, { [exprKey]: recordSite({ kind: 'MacroRef', name, loc: synthetic } as Expr) });
}

/** Falco priorities, as Falco's schema spells them (lower case is accepted and emitted upper case). */
export type Priority = 'EMERGENCY' | 'ALERT' | 'CRITICAL' | 'ERROR' | 'WARNING' | 'NOTICE' | 'INFORMATIONAL' | 'INFO' | 'DEBUG';

/** The properties of a rule, as in Falco YAML (camelCase for the multi-word keys). */
export interface RuleOptions {
  /** What the rule detects. */
  readonly desc: string;
  /** When it fires. */
  readonly condition: Condition;
  /** The alert text; `%field` placeholders are checked against the catalog. */
  readonly output: string;
  readonly priority: Priority | Lowercase<Priority>;
  readonly tags?: readonly string[];
  readonly enabled?: boolean;
  /** The event source (default `syscall`). */
  readonly source?: string;
  /** Exceptions ({@link exception}). */
  readonly exceptions?: readonly Exception[];
  readonly warnEvttypes?: boolean;
  readonly skipIfUnknownFilter?: boolean;
  readonly capture?: boolean;
  readonly captureDuration?: number;
}

/** A declared rule; `name` is its name, for tests. */
export type RuleDeclaration = FalxDeclaration<RuleDecl> & { readonly rule: string };

/** `rule "Name" { ... }`. */
export function rule(name: string, options: RuleOptions): RuleDeclaration {
  const ast: RuleDecl = { kind: 'Rule', name: string(name), body: ruleEntries(options), loc: synthetic };
  return declare(ast, { rule: name });
}

/** A rule body's entries in the formatter's canonical order (the order the parser reads back). */
export function ruleEntries(options: Partial<RuleOptions>): RuleEntry[] {
  const entries: RuleEntry[] = [];
  const text = (key: string, value: string | undefined): void => {
    if (value !== undefined) entries.push(property(key, string(value)));
  };
  const flag = (key: string, value: boolean | number | undefined): void => {
    if (value !== undefined) entries.push(property(key, literal(value)));
  };
  text('desc', options.desc);
  if (options.condition !== undefined) entries.push(property('condition', conditionText(options.condition)));
  text('output', options.output);
  if (options.priority !== undefined) entries.push(property('priority', word(options.priority)));
  if (options.tags !== undefined) entries.push(property('tags', listValue(options.tags)));
  flag('enabled', options.enabled);
  if (options.source !== undefined) entries.push(property('source', literal(options.source)));
  flag('warn_evttypes', options.warnEvttypes);
  flag('skip_if_unknown_filter', options.skipIfUnknownFilter);
  flag('capture', options.capture);
  flag('capture_duration', options.captureDuration);
  for (const e of options.exceptions ?? []) entries.push(e.ast);
  return canonicalRuleEntries(entries);
}

/** The comparison operators of exceptions (`comps`). */
export type ExceptionOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'intersects' | 'pmatch' | 'contains' | 'icontains' | 'startswith' | 'endswith' | 'glob' | 'iglob' | 'regex';

type AnyField = FieldOperand<'string' | 'buffer' | 'bool' | 'ipaddr' | 'ipnet' | 'port' | 'numeric' | 'dynamic' | 'evtype' | 'list', boolean, boolean>;

/** One row of exception values: per field, a value or a list of values of that field's type. */
export type ExceptionRow<F extends readonly AnyField[]> = { readonly [I in keyof F]: ScalarOf<KindOf<F[I]>> | readonly ScalarOf<KindOf<F[I]>>[] | List };

/** The parts of an exception, as in Falco YAML: fields, their operators (default `=`), rows of values. */
export interface ExceptionOptions<F extends readonly AnyField[]> {
  readonly fields: F;
  readonly comps?: { readonly [I in keyof F]: ExceptionOperator };
  readonly values?: readonly ExceptionRow<F>[];
}

/** An exception of a rule (pass it in `exceptions`). */
export interface Exception {
  readonly ast: ExceptionDecl;
}

/**
 * `exception name { fields: [...] comps: [...] values: [[...], ...] }`: events whose fields match
 * one row of values do not fire the rule. Each row has one value (or list) per field, of its type.
 */
export function exception<const F extends readonly AnyField[]>(name: string, options: ExceptionOptions<F>): Exception {
  const fieldNames = options.fields.map((o) => {
    const node = operandInfo(o).node;
    if (node.kind !== 'Field') throw new TypeError(`falx: exception "${name}" takes fields, not transformers`);
    return node.arg === undefined ? node.name : `${node.name}[${node.arg}]`;
  });
  const body: Property[] = [property('fields', listValue(fieldNames))];
  if (options.comps !== undefined) body.push(property('comps', listValue(options.comps as readonly string[])));
  if (options.values !== undefined) body.push(property('values', listValue(options.values.map((row) => row as readonly unknown[]))));
  const ast: ExceptionDecl = { kind: 'Exception', name: word(name), body, loc: synthetic };
  recordSite(ast);
  return { ast };
}

/** Literal values of a property, for callers that build them (policies, tests). */
export type { Literal };
