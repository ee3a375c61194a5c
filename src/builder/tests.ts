/**
 * Tests beside the rules: `test(rule, [fires({...}), ignores({...})])`, the `.falx` `test` block.
 * Events are field maps whose keys must be catalog fields (`proc.env[HOME]` for arguments) and
 * whose values fit the field's kind; `falx test` runs them with falx's evaluator.
 */
import type { ListLiteralValue, Literal, MapLiteral, TestCase, TestDecl } from '../language/falx-ast.ts';
import { declare, type FalxDeclaration } from './declaration.ts';
import type { FieldName, fieldSpecs } from './generated/fields.ts';
import type { FieldKind } from './kinds.ts';
import { literal, string, synthetic, word } from './nodes.ts';
import { recordSite } from './site.ts';

type EventScalar = string | number | bigint | boolean | null;

/** The values an event gives a field of kind `K` (as Falco's JSON output has them). */
export type EventValue<K extends FieldKind> =
  K extends 'numeric' | 'port' ? number | bigint | `${number}` | null
  : K extends 'bool' ? boolean | 'true' | 'false' | null
  : K extends 'list' ? readonly string[] | string | null
  : K extends 'dynamic' ? string | number | null
  : string | null;

/** An event: catalog fields (and `field[arg]` keys) to values. */
export type TestEvent = { readonly [N in FieldName]?: EventValue<(typeof fieldSpecs)[N]['kind']> } & { readonly [key: `${string}[${string}]`]: EventScalar | readonly EventScalar[] };

/** One test case: an event that must fire the rule, or must not. */
export interface Case {
  readonly ast: TestCase;
}

function testCase(expect: 'fires' | 'ignores', event: TestEvent): Case {
  const entries = Object.entries(event).map(([key, value]) => ({ key: word(key), value: eventValue(value), loc: synthetic }));
  const map: MapLiteral = { kind: 'Map', entries, loc: synthetic };
  return { ast: recordSite<TestCase>({ kind: 'TestCase', expect, event: map, loc: synthetic }) };
}

function eventValue(value: unknown): Literal | ListLiteralValue {
  if (Array.isArray(value)) return { kind: 'ListValue', items: value.map((v) => literal(v as EventScalar)), loc: synthetic };
  return literal(value as EventScalar);
}

/** An event that must fire the rule. */
export function fires(event: TestEvent): Case {
  return testCase('fires', event);
}

/** An event that must not fire the rule. */
export function ignores(event: TestEvent): Case {
  return testCase('ignores', event);
}

/** A declared test block. */
export type TestDeclaration = FalxDeclaration<TestDecl>;

/** `test "Rule" { fires: {...} ignores: {...} }`: `rule` is a rule or policy declaration, or a rule's name. */
export function test(rule: { readonly rule: string } | string, cases: readonly Case[]): TestDeclaration {
  const name = typeof rule === 'string' ? rule : rule.rule;
  const ast: TestDecl = { kind: 'Test', rule: string(name), cases: cases.map((c) => c.ast), loc: synthetic };
  return declare(ast, {});
}
