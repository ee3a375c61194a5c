/**
 * Values fit their field: a number for numeric fields, an address for IP fields, a network for
 * `fd.*net`, a port or service name, `true`/`false`, hex for `bcontains`, a known event type for
 * `evt.type`, a valid RE2 pattern for `regex`, at most 255 bytes for any string.
 */
import { parseIpAddress, parseIpNetwork } from '../values/addresses.ts';
import { parseHexBytes } from '../values/hex.ts';
import { parseValue } from '../values/parse-value.ts';
import { parseRegex } from '../values/regex.ts';
import type { ValueResult } from '../values/result.ts';
import { isEventType } from '../catalog/events.ts';
import type { FieldType } from '../catalog/field-types.ts';
import type { OperandType } from '../operand-type.ts';
import type { CheckScope, ListValue } from '../scope.ts';
import type { CheckRule } from './rule.ts';

export const valueType: CheckRule = {
  id: 'value-type',
  description: "Every constant on the right-hand side is a valid value of the left-hand side's type.",
  check({ node, left, values }, scope) {
    for (const value of values) {
      // Items of typed .falx lists are validated where the list is declared (and the list's type
      // where it is used): reporting them again here would only repeat it.
      if (value.list !== undefined && scope.listTypes.has(value.list)) continue;
      // A `\x00` escape (Falco 0.45): only a buffer holds a NUL byte.
      if (value.text.includes('\u0000') && left.type !== 'BYTEBUF') {
        reportInvalid(scope, value, left, 'a filter value cannot contain a NUL byte (\\x00) unless the field is a buffer');
        continue;
      }
      if (left.field?.name === 'evt.type') {
        if (!isEventType(value.text)) report(scope, value, left, 'FX2009', { value: value.text });
        continue;
      }
      const result = node.op === 'regex' ? parseRegex(value.text) : parseForOperator(value.text, left, node.op);
      if (result.ok) continue;
      reportInvalid(scope, value, left, result.reason);
    }
  },
};

/** `bcontains`/`bstartswith` take hex bytes; every other operator the field type's values. */
function parseForOperator(text: string, left: OperandType, op: string): ValueResult<unknown> {
  if ((op === 'bcontains' || op === 'bstartswith') && left.type === 'BYTEBUF') return parseHexBytes(text);
  return parseValue(text, left.type);
}

function reportInvalid(scope: CheckScope, value: ListValue, left: OperandType, reason: string): void {
  const field = left.display;
  if (/too long/.test(reason)) {
    report(scope, value, left, 'FX3005', { length: Buffer.byteLength(value.text) });
    return;
  }
  if (left.type === 'IPADDR' && parseIpNetwork(value.text).ok) {
    const netField = field.replace(/^fd\.(s|c|l|r)?ip$/, (_, side: string | undefined) => `fd.${side ?? ''}net`);
    report(scope, value, left, 'FX3003', { value: value.text, field }, `Use ${netField} to match a network, or drop the prefix length.`);
    return;
  }
  if (left.type === 'IPADDR' && /^[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*\.[a-zA-Z]{2,}$/.test(value.text)) {
    report(scope, value, left, 'FX3004', { value: value.text, field }, `Use ${field}.name to match a domain name.`);
    return;
  }
  if (left.type === 'IPNET' && parseIpAddress(value.text).ok) {
    report(scope, value, left, 'FX3002', { value: value.text, expected: 'network (address/prefix)', field }, `Write "${value.text}/${value.text.includes('.') ? 32 : 128}" for a single address.`);
    return;
  }
  if (/regex/i.test(reason) || reason.startsWith('invalid regex')) {
    report(scope, value, left, 'FX3006', { detail: reason });
    return;
  }
  report(scope, value, left, 'FX3002', { value: value.text, expected: expectedName(left.type), field }, capitalize(reason));
}

function report(scope: CheckScope, value: ListValue, left: OperandType, code: 'FX3002' | 'FX3003' | 'FX3004' | 'FX3005' | 'FX3006' | 'FX2009', args: Record<string, string | number>, hint?: string): void {
  // A bad item of a named list is reported on the item, with a note on where the list is used.
  if (value.list !== undefined && (code === 'FX3002' || code === 'FX3003' || code === 'FX3004')) {
    scope.report('FX3013', value.span, { value: value.text, list: value.list, expected: expectedName(left.type), field: left.display }, { hint });
    return;
  }
  scope.report(code, value.span, args, { hint });
}

function expectedName(type: FieldType): string {
  switch (type) {
    case 'IPADDR':
      return 'IP address';
    case 'IPNET':
      return 'network (address/prefix)';
    case 'PORT':
      return 'port';
    case 'BOOL':
      return 'boolean (true or false)';
    case 'PRIORITY':
      return 'priority';
    case 'CHARBUF':
    case 'BYTEBUF':
    case 'DYNAMIC':
      return 'string';
    default:
      return 'number';
  }
}

/** libsinsp's reason as a hint sentence; the value it quotes keeps its spelling. */
function capitalize(text: string): string {
  return text.length === 0 ? text : `Falco says: ${text}.`;
}
