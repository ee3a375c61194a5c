/**
 * The typed AST of `.falx` files: declarations around Falco conditions (see `ast.ts`).
 *
 * A `.falx` file is a list of declarations. Its key/value bodies read like Falco YAML, so a reader
 * who knows Falco rules reads a `.falx` file without a manual:
 *
 *     import upstream
 *     list trusted_domains: domain[] = [github.com, api.slack.com]
 *     macro web_pod = container and k8s.ns.name = web
 *     rule "Unexpected outbound connection" {
 *       desc: "An outbound connection to a domain that is not trusted."
 *       condition: outbound and web_pod and not fd.sip.name in (trusted_domains)
 *       output: "Unexpected connection (command=%proc.cmdline server=%fd.sip)"
 *       priority: NOTICE
 *     }
 */
import type { Expr, Location } from './ast.ts';

export interface FalxFile {
  readonly kind: 'File';
  readonly declarations: readonly Declaration[];
  /** Comment lines, kept for the formatter: each with the index of the declaration it precedes. */
  readonly comments: readonly Comment[];
  readonly loc: Location;
}

export interface Comment {
  readonly text: string;
  readonly loc: Location;
}

export type Declaration =
  | ImportDecl
  | RequiresDecl
  | ListDecl
  | MacroDecl
  | RuleDecl
  | ListExtension
  | MacroExtension
  | RuleExtension
  | RuleToggle
  | PolicyDecl
  | TestDecl;

/**
 * `import upstream` (the macros and lists of the falco_rules.yaml the user's Falco loads, which the
 * command line finds: --upstream, the configuration, /etc/falco) or `import "./other.falx"`.
 */
export interface ImportDecl {
  readonly kind: 'Import';
  readonly target: { readonly upstream: true } | { readonly upstream: false; readonly path: StringLit };
  /** `import upstream bundle`: emit the upstream items that are used, too. */
  readonly bundle: boolean;
  readonly loc: Location;
}

/** `requires engine 0.57.0` / `requires plugin container 0.4.0`. */
export interface RequiresDecl {
  readonly kind: 'Requires';
  readonly what: 'engine' | 'plugin';
  readonly plugin?: Identifier;
  readonly version: Word;
  readonly loc: Location;
}

export const elementTypes = ['string', 'int', 'port', 'ip', 'net', 'domain', 'path', 'evtype', 'image', 'binary'] as const;
export type ElementType = (typeof elementTypes)[number];

/** `list name: type[] = [items]`. */
export interface ListDecl {
  readonly kind: 'List';
  readonly name: Identifier;
  readonly elementType: Word;
  readonly items: readonly ListElement[];
  readonly loc: Location;
}

/** A list item, or `...other_list` to include another list's items. */
export type ListElement = Literal | Spread;

export interface Spread {
  readonly kind: 'Spread';
  readonly list: Identifier;
  readonly loc: Location;
}

/** `macro name = condition`. */
export interface MacroDecl {
  readonly kind: 'Macro';
  readonly name: Identifier;
  readonly condition: ConditionText;
  readonly loc: Location;
}

/** A condition as written: its parsed AST and where its text sits in the file. */
export interface ConditionText {
  readonly kind: 'Condition';
  readonly expr: Expr;
  /** In appends: the keyword that joins this text to the old condition. */
  readonly joiner?: 'and' | 'or';
  readonly loc: Location;
}

/** `rule "Name" { key: value ... }`. */
export interface RuleDecl {
  readonly kind: 'Rule';
  readonly name: StringLit;
  readonly body: readonly RuleEntry[];
  readonly loc: Location;
}

export type RuleEntry = Property | ExceptionDecl;

export type PropertyValue = ConditionText | StringLit | Word | Literal | ListLiteralValue | MapLiteral;

/** `key: value` inside a body. The value's kind depends on the key (checked by the compiler). */
export interface Property {
  readonly kind: 'Property';
  readonly key: Word;
  readonly value: PropertyValue;
  readonly loc: Location;
}

/** `exception name { fields: [...] comps: [...] values: [[...], ...] }`, as in Falco YAML. */
export interface ExceptionDecl {
  readonly kind: 'Exception';
  readonly name: Identifier;
  readonly body: readonly Property[];
  readonly loc: Location;
}

/** `append list name = [items]` / `replace list name = [items]`. */
export interface ListExtension {
  readonly kind: 'ListExtension';
  readonly operation: 'append' | 'replace';
  readonly name: Identifier;
  readonly items: readonly ListElement[];
  readonly loc: Location;
}

/** `append macro name or cond` (Falco joins the text) / `replace macro name = cond`. */
export interface MacroExtension {
  readonly kind: 'MacroExtension';
  readonly operation: 'append' | 'replace';
  readonly name: Identifier;
  readonly condition: ConditionText;
  readonly loc: Location;
}

/** `append rule "Name" { condition: and ..., exception ..., tags: [...] }` / `replace rule "Name" { ... }`. */
export interface RuleExtension {
  readonly kind: 'RuleExtension';
  readonly operation: 'append' | 'replace';
  readonly name: StringLit;
  readonly body: readonly RuleEntry[];
  readonly loc: Location;
}

/** `disable rule "Name"` / `enable rule "Name"`. */
export interface RuleToggle {
  readonly kind: 'RuleToggle';
  readonly enabled: boolean;
  readonly name: StringLit;
  readonly loc: Location;
}

export const policyKinds = ['egress', 'shell', 'restricted_namespaces'] as const;
export type PolicyKind = (typeof policyKinds)[number];

/** `policy egress "Name" { ... }`: one declaration that expands to lists, macros and a rule. */
export interface PolicyDecl {
  readonly kind: 'Policy';
  readonly policy: Word;
  readonly name: StringLit;
  readonly body: readonly Property[];
  readonly loc: Location;
}

/** `test "Rule name" { fires: {...} ignores: {...} }`: events that must or must not fire the rule. */
export interface TestDecl {
  readonly kind: 'Test';
  readonly rule: StringLit;
  readonly cases: readonly TestCase[];
  readonly loc: Location;
}

export interface TestCase {
  readonly kind: 'TestCase';
  readonly expect: 'fires' | 'ignores';
  readonly event: MapLiteral;
  readonly loc: Location;
}

/** `{ proc.name: bash, fd.sport: 443 }`: an event's fields. */
export interface MapLiteral {
  readonly kind: 'Map';
  readonly entries: readonly { readonly key: Word; readonly value: Literal | ListLiteralValue; readonly loc: Location }[];
  readonly loc: Location;
}

/** `[a, "b", 3]` or `[[a, b], c]` (exception values). */
export interface ListLiteralValue {
  readonly kind: 'ListValue';
  readonly items: readonly (Literal | ListLiteralValue | Spread)[];
  readonly loc: Location;
}

/** A constant: a quoted string, a number, `true`/`false`/`null`, or a bare word. */
export type Literal = StringLit | NumberLit | Word | Constant;

export interface StringLit {
  readonly kind: 'String';
  readonly value: string;
  readonly loc: Location;
}

export interface NumberLit {
  readonly kind: 'Number';
  readonly text: string;
  readonly loc: Location;
}

/** `true`, `false` or `null`. */
export interface Constant {
  readonly kind: 'Constant';
  readonly value: boolean | null;
  readonly loc: Location;
}

/** A bare word: identifiers, field names, paths, addresses, operators in `comps`. */
export interface Word {
  readonly kind: 'Word';
  readonly text: string;
  readonly loc: Location;
}

export interface Identifier {
  readonly kind: 'Word';
  readonly text: string;
  readonly loc: Location;
}
