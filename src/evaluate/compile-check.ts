/**
 * Compiles one check (`field op value`, `field exists`) into a closure, with libsinsp 0.25.4's
 * rules: a missing value makes every operator false; modifiers combine one test per list item;
 * ancestors, endpoint fields and `evt.rawarg` follow their own rules (see the semantics README).
 */
import type { BinaryCheck, BinaryOperator, Modifier, UnaryCheck } from '../language/ast.ts';
import { inNetwork, type IpAddress, type IpNetwork } from '../check/values/addresses.ts';
import { parseValue } from '../check/values/parse-value.ts';
import { constantTest, type Test } from './constant-tests.ts';
import type { EventFields } from './event.ts';
import { pairTest } from './field-tests.ts';
import { fieldExtractor, normalizer, toAddress, type Extractor, type Scalar } from './kinds.ts';
import { compileField, compileOperand, type CompiledOperand } from './operands.ts';
import type { CompileContext, Matcher } from './types.ts';
import { rightItems } from './list-items.ts';

const never: Matcher = () => false;

export function compileExists(check: UnaryCheck, context: CompileContext): Matcher {
  const { extract } = compileOperand(check.left, context.catalog);
  return (event) => extract(event) !== undefined;
}

export function compileBinary(check: BinaryCheck, context: CompileContext): Matcher {
  const left = compileOperand(check.left, context.catalog);
  const right = check.right;
  if (right.kind === 'Transformer' || right.kind === 'FieldValue') {
    const other = right.kind === 'FieldValue' ? compileField(right.field, context.catalog) : compileOperand(right, context.catalog);
    return compileFieldComparison(left, check.op, other);
  }
  const items = rightItems(right, context.lists);
  switch (left.role) {
    case 'ancestors':
      return compileAncestors(left, check.op, check.modifier === undefined ? items : items.slice(0, 1));
    case 'endpoints':
      return compileEndpoints(left, check.op, check.modifier, items);
    case 'rawarg':
      if (check.op === 'in' || check.op === 'intersects') return never;
      break;
    case 'plain':
      break;
  }
  const test = check.modifier === undefined ? constantTest(left.spec, check.op, items) : modifierTest(left, check.op, check.modifier, items);
  if (test === undefined) return never;
  const extract = left.extract;
  return (event) => {
    const value = extract(event);
    return value !== undefined && test(value);
  };
}

/** `op anyof|allof|oneof (items)`: one test per item. An empty list is false. */
function modifierTest(left: CompiledOperand, op: BinaryOperator, modifier: Modifier, items: readonly string[]): Test | undefined {
  if (items.length === 0) return undefined;
  if (left.spec.kind === 'ipnet') {
    // libsinsp's network comparison ignores the modifier's list for these two combinations.
    if ((op === '=' || op === '==') && modifier === 'anyof') return undefined;
    if (op === '!=' && modifier === 'allof') return () => true;
  }
  const tests = items.map((item) => constantTest(left.spec, op, [item]));
  switch (modifier) {
    case 'anyof':
      return (value) => tests.some((test) => test(value));
    case 'allof':
      return (value) => tests.every((test) => test(value));
    case 'oneof':
      return (value) => {
        let count = 0;
        for (const test of tests) if (test(value) && ++count > 1) return false;
        return count === 1;
      };
  }
}

function compileFieldComparison(left: CompiledOperand, op: BinaryOperator, right: CompiledOperand): Matcher {
  const test = pairTest(left.spec.kind, op);
  const normalize = right.spec.kind === left.spec.kind ? undefined : normalizer(left.spec.kind);
  const extractLeft = left.extract;
  const extractRight: Extractor = normalize === undefined ? right.extract : (event) => normalize(right.extract(event));
  return (event) => {
    const value = extractLeft(event);
    if (value === undefined) return false;
    const other = extractRight(event);
    return other !== undefined && test(value, other);
  };
}

/** Any ancestor (`proc.X[1]`, `proc.X[2]`, … up to the first missing one) passes the test. */
function compileAncestors(left: CompiledOperand, op: BinaryOperator, items: readonly string[]): Matcher {
  if (left.name === 'proc.apid' && (op === 'in' || op === 'intersects')) return never;
  if (items.length === 0 && op !== 'in' && op !== 'intersects' && op !== 'pmatch') return never;
  const test = constantTest(left.spec, op, items);
  const extractors: Extractor[] = [];
  const ancestor = (index: number): Extractor => {
    while (extractors.length < index) extractors.push(fieldExtractor(`${left.key}[${extractors.length + 1}]`, left.spec.kind));
    return extractors[index - 1] as Extractor;
  };
  return (event) => {
    for (let index = 1; ; index++) {
      const value = ancestor(index)(event);
      if (value === undefined) return false;
      if (test(value)) return true;
    }
  };
}

/**
 * The filter-only "either endpoint" fields. `fd.ip`: `=` any endpoint equal, `!=` all differ (false
 * for no endpoint), `in` never matches. `fd.port`/`fd.proto`: any port passes, `!=` needs all.
 * `fd.net`: like `fd.ip` with networks, and `in (…)` only uses the first network.
 */
function compileEndpoints(left: CompiledOperand, op: BinaryOperator, modifier: Modifier | undefined, items: readonly string[]): Matcher {
  const isAddress = left.name === 'fd.ip' || left.name === 'fd.net';
  if (left.name === 'fd.ip' && (op === 'in' || op === 'intersects')) return never;
  if (isAddress && op === 'intersects') return never;
  const all = op === '!=';
  const test = endpointTest(left, op, modifier, items);
  if (test === undefined) return never;
  const extract = left.extract;
  const convert = isAddress ? (value: string): Scalar | undefined => toAddress(value) : (value: string): Scalar | undefined => normalizer('number')(value);
  return (event: EventFields) => {
    const list = extract(event) as readonly string[] | undefined;
    if (list === undefined || list.length === 0) return false;
    for (const raw of list) {
      const value = convert(raw);
      const passes = value !== undefined && test(value);
      if (all ? !passes : passes) return !all;
    }
    return all;
  };
}

function endpointTest(left: CompiledOperand, op: BinaryOperator, modifier: Modifier | undefined, items: readonly string[]): Test | undefined {
  if (left.name === 'fd.net') {
    const network = items[0] === undefined ? undefined : parsedNetwork(items[0]);
    if (network === undefined) return undefined;
    return op === '!=' ? (value) => !inNetwork(value as IpAddress, network) : (value) => inNetwork(value as IpAddress, network);
  }
  return modifier === undefined ? constantTest(left.spec, op, items) : modifierTest(left, op, modifier, items);
}

function parsedNetwork(text: string): IpNetwork {
  const result = parseValue(text, 'IPNET');
  if (!result.ok || result.value.kind !== 'ipnet') throw new Error(result.ok ? 'not a network' : result.reason);
  return result.value.value;
}
