/**
 * The single answer to "is this text a valid right-hand value for a field of this type, and what
 * does it mean": the checker reports the failures, the evaluator compiles the successes.
 */
import type { FieldType } from '../catalog/field-types.ts';
import { parseIpAddress, parseIpNetwork, type IpAddress, type IpNetwork } from './addresses.ts';
import { parseBoolean } from './booleans.ts';
import { canonicalNumber, parseInteger, type IntegerWidth } from './numbers.ts';
import { parsePort } from './ports.ts';
import { parsePriority } from './priorities.ts';
import { accept, type ValueResult } from './result.ts';
import { parseString } from './strings.ts';

/** A parsed value; its kind follows the field type. */
export type ParsedValue =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number | bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'ipaddr'; readonly value: IpAddress }
  | { readonly kind: 'ipnet'; readonly value: IpNetwork };

/** The integer width libsinsp parses a numeric type's values with; DOUBLE takes 32-bit integers. */
export function integerWidth(type: FieldType): IntegerWidth | undefined {
  switch (type) {
    case 'INT16':
      return { bits: 16, signed: true };
    case 'INT32':
    case 'DOUBLE':
      return { bits: 32, signed: true };
    case 'INT64':
      return { bits: 64, signed: true };
    case 'UINT32':
      return { bits: 32, signed: false };
    case 'UINT64':
    case 'RELTIME':
    case 'ABSTIME':
      return { bits: 64, signed: false };
    default:
      return undefined;
  }
}

/** Parses `text` as a value for a field of type `type` (string operators take it verbatim). */
export function parseValue(text: string, type: FieldType): ValueResult<ParsedValue> {
  // A buffer holds any byte, NUL included (`\x00`, Falco 0.45); the other types are C strings.
  const checked = type === 'BYTEBUF' ? parseString(text.replaceAll('\0', ' ')) : parseString(text);
  if (!checked.ok) return checked;
  switch (type) {
    case 'CHARBUF':
    case 'BYTEBUF':
    case 'DYNAMIC':
      return accept({ kind: 'string', value: text });
    case 'BOOL':
      return wrap(parseBoolean(text), (value) => ({ kind: 'bool', value }));
    case 'IPADDR':
      return wrap(parseIpAddress(text), (value) => ({ kind: 'ipaddr', value }));
    case 'IPNET':
      return wrap(parseIpNetwork(text), (value) => ({ kind: 'ipnet', value }));
    case 'PORT':
      return wrap(parsePort(text), (value) => ({ kind: 'number', value }));
    case 'PRIORITY':
      return wrap(parsePriority(text), (value) => ({ kind: 'number', value }));
    default: {
      const width = integerWidth(type) ?? { bits: 64, signed: true };
      return parseIntegerValue(text, width);
    }
  }
}

/** An integer value of the given width, as a number when exact. */
export function parseIntegerValue(text: string, width: IntegerWidth): ValueResult<ParsedValue> {
  return wrap(parseInteger(text, width), (value) => ({ kind: 'number', value: canonicalNumber(value) }));
}

function wrap<T>(result: ValueResult<T>, make: (value: T) => ParsedValue): ValueResult<ParsedValue> {
  return result.ok ? accept(make(result.value)) : result;
}
