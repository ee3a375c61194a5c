/**
 * Tests of an extracted value against constant right-hand values, one builder per value kind.
 * Each right-hand text is parsed once, here, with the shared value parsers; an invalid value is a
 * programming error at this point (the checker reports it to users), so it throws.
 */
import type { BinaryOperator } from '../language/ast.ts';
import { inNetwork, type IpAddress, type IpNetwork } from '../check/values/addresses.ts';
import { parseHexBytes } from '../check/values/hex.ts';
import type { IntegerWidth } from '../check/values/numbers.ts';
import { parseIntegerValue, parseValue } from '../check/values/parse-value.ts';
import { parseRegex } from '../check/values/regex.ts';
import type { ValueResult } from '../check/values/result.ts';
import type { FieldType } from '../check/catalog/field-types.ts';
import { asciiLower, bufferView, compareBytes } from './bytes.ts';
import { compileGlob } from './glob.ts';
import type { Kind, Scalar } from './kinds.ts';
import { compilePathPrefixes } from './pmatch.ts';

export type Test = (value: Scalar) => boolean;

/** How right-hand texts parse for the left operand. */
export interface ValueSpec {
  readonly kind: Kind;
  readonly type: FieldType;
  /** Overrides the type's integer width (evt.rawarg parameters). */
  readonly width?: IntegerWidth;
}

/** A test for `value op items` (`items` has one text for single-value operators). */
export function constantTest(spec: ValueSpec, op: BinaryOperator, items: readonly string[]): Test {
  switch (spec.kind) {
    case 'string':
      return stringTest(op, items);
    case 'buffer':
      return bufferTest(op, items);
    case 'list':
      return listTest(op, items);
    case 'ipnet':
      return networkTest(op, items.map((item) => parsed(parseValue(item, 'IPNET')).value as IpNetwork));
    default: {
      const values = items.map((item) => parseConstant(spec, item));
      return orderedTest(op, values);
    }
  }
}

/** A number, boolean, address or priority constant. */
export function parseConstant(spec: ValueSpec, text: string): number | bigint | boolean | IpAddress {
  const result = spec.width !== undefined ? parseIntegerValue(text, spec.width) : parseValue(text, spec.type);
  const value = parsed(result);
  if (value.kind === 'string' || value.kind === 'ipnet') throw new Error(`unexpected ${value.kind} value for ${spec.type}`);
  return value.value;
}

function parsed<T>(result: ValueResult<T>): T {
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

function first(items: readonly string[]): string {
  return items[0] ?? '';
}

function stringTest(op: BinaryOperator, items: readonly string[]): Test {
  const text = first(items);
  switch (op) {
    case '=':
    case '==':
      return (value) => value === text;
    case '!=':
      return (value) => value !== text;
    case 'contains':
      return (value) => (value as string).includes(text);
    case 'icontains': {
      const folded = asciiLower(text);
      return (value) => asciiLower(value as string).includes(folded);
    }
    case 'startswith':
      return (value) => (value as string).startsWith(text);
    case 'endswith':
      return (value) => (value as string).endsWith(text);
    case 'glob':
    case 'iglob': {
      const match = compileGlob(text, op === 'iglob');
      return (value) => match(value as string);
    }
    case 'regex': {
      const regex = parsed(parseRegex(text));
      return (value) => regex.test(value as string);
    }
    case '<':
      return (value) => compareBytes(value as string, text) < 0;
    case '<=':
      return (value) => compareBytes(value as string, text) <= 0;
    case '>':
      return (value) => compareBytes(value as string, text) > 0;
    case '>=':
      return (value) => compareBytes(value as string, text) >= 0;
    case 'in':
    case 'intersects': {
      const set = new Set(items);
      return (value) => set.has(value as string);
    }
    case 'pmatch': {
      const match = compilePathPrefixes(items);
      return (value) => match(value as string);
    }
    case 'bcontains':
    case 'bstartswith': {
      const test = bufferTest(op, items);
      return (value) => test(Buffer.from(value as string, 'utf8'));
    }
  }
}

function bufferTest(op: BinaryOperator, items: readonly string[]): Test {
  const needles = items.map((item) => Buffer.from(item, 'utf8'));
  const needle = needles[0] ?? Buffer.alloc(0);
  const view = (value: Scalar): Buffer => bufferView(value as Uint8Array);
  switch (op) {
    case '=':
    case '==':
      return (value) => view(value).equals(needle);
    case '!=':
      return (value) => !view(value).equals(needle);
    case 'contains':
      return (value) => view(value).includes(needle);
    case 'startswith':
      return (value) => view(value).subarray(0, needle.length).equals(needle);
    case 'endswith':
      return (value) => view(value).length >= needle.length && view(value).subarray(view(value).length - needle.length).equals(needle);
    case 'bcontains': {
      const bytes = Buffer.from(parsed(parseHexBytes(first(items))));
      return (value) => view(value).includes(bytes);
    }
    case 'bstartswith': {
      const bytes = Buffer.from(parsed(parseHexBytes(first(items))));
      return (value) => view(value).subarray(0, bytes.length).equals(bytes);
    }
    case 'in':
    case 'intersects':
      return (value) => needles.some((item) => view(value).equals(item));
    default:
      throw new Error(`operator ${op} is not supported for buffers`);
  }
}

/** List fields (`fd.types`, `tags`): `in` is "subset of", `intersects` is "shares an item". */
function listTest(op: BinaryOperator, items: readonly string[]): Test {
  const set = new Set(items);
  switch (op) {
    case 'in':
      return (value) => (value as readonly string[]).every((item) => set.has(item));
    case 'intersects':
      return (value) => (value as readonly string[]).some((item) => set.has(item));
    default:
      throw new Error(`operator ${op} is not supported for list fields`);
  }
}

/** IPNET fields hold an address; the right-hand side holds networks. */
function networkTest(op: BinaryOperator, networks: readonly IpNetwork[]): Test {
  const network = networks[0];
  switch (op) {
    case '=':
    case '==':
      return network === undefined ? () => false : (value) => inNetwork(value as IpAddress, network);
    case '!=':
      return network === undefined ? () => true : (value) => !inNetwork(value as IpAddress, network);
    case 'in':
    case 'intersects':
      return (value) => networks.some((item) => inNetwork(value as IpAddress, item));
    default:
      throw new Error(`operator ${op} is not supported for networks`);
  }
}

/**
 * Numbers, booleans, addresses and priorities: equality, order and sets. Values are canonical
 * (integers are numbers when exact, bigints otherwise; IPv4 numbers, IPv6 bigints), so `===` and
 * `Set` lookups are exact and never equate different address families.
 */
function orderedTest(op: BinaryOperator, values: readonly (number | bigint | boolean)[]): Test {
  const constant = values[0] ?? 0;
  switch (op) {
    case '=':
    case '==':
      return (value) => value === constant;
    case '!=':
      return (value) => value !== constant;
    case '<':
      return (value) => (value as number) < (constant as number);
    case '<=':
      return (value) => (value as number) <= (constant as number);
    case '>':
      return (value) => (value as number) > (constant as number);
    case '>=':
      return (value) => (value as number) >= (constant as number);
    case 'in':
    case 'intersects': {
      const set = new Set<Scalar>(values);
      return (value) => set.has(value);
    }
    default:
      throw new Error(`operator ${op} is not supported for this field type`);
  }
}
