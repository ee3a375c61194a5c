/**
 * The value kinds the evaluator compares, and how an event's raw field value becomes one. Every
 * extractor returns the normalized value or `undefined` for "no value" (`<NA>`).
 */
import { parseIpAddress, type IpAddress } from '../check/values/addresses.ts';
import { canonicalNumber } from '../check/values/numbers.ts';
import { parsePriority } from '../check/values/priorities.ts';
import type { EventFields, FieldValue } from './event.ts';

export type Kind = 'string' | 'number' | 'bool' | 'ipaddr' | 'ipnet' | 'buffer' | 'list' | 'priority';

/** A normalized value: string, number|bigint, boolean, IP address, bytes or a list of strings. */
export type Scalar = string | number | bigint | boolean | Uint8Array | readonly string[];

export type Extractor = (event: EventFields) => Scalar | undefined;

/** Reads field `key` and normalizes it to `kind`; the common case takes no detour. */
export function fieldExtractor(key: string, kind: Kind): Extractor {
  switch (kind) {
    case 'string':
      return (event) => {
        const value = event.get(key);
        return typeof value === 'string' ? value : toStringValue(value);
      };
    case 'number':
      return (event) => {
        const value = event.get(key);
        return typeof value === 'number' ? value : toNumber(value);
      };
    default: {
      const normalize = normalizer(kind);
      return (event) => normalize(event.get(key));
    }
  }
}

export function normalizer(kind: Kind): (value: FieldValue | undefined) => Scalar | undefined {
  switch (kind) {
    case 'string':
      return toStringValue;
    case 'number':
      return toNumber;
    case 'bool':
      return toBoolean;
    case 'ipaddr':
    case 'ipnet':
      return toAddress;
    case 'buffer':
      return toBytes;
    case 'list':
      return toList;
    case 'priority':
      return toPriority;
  }
}

export function toStringValue(value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** Numbers, bigints and decimal strings ("numbers given as strings"); exact for big integers. */
export function toNumber(value: FieldValue | undefined): number | bigint | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return canonicalNumber(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^[+-]?\d+$/.test(text)) return canonicalNumber(BigInt(text));
  const number = text === '' ? Number.NaN : Number(text);
  return Number.isNaN(number) ? undefined : number;
}

function toBoolean(value: FieldValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 1) return true;
  if (value === 'false' || value === 0) return false;
  return undefined;
}

const addressCache = new Map<string, IpAddress | null>();

/** IP address text, parsed once per distinct text. */
export function toAddress(value: FieldValue | undefined): IpAddress | undefined {
  if (typeof value !== 'string') return undefined;
  let address = addressCache.get(value);
  if (address === undefined) {
    const parsed = parseIpAddress(value);
    address = parsed.ok ? parsed.value : null;
    if (addressCache.size > 100_000) addressCache.clear();
    addressCache.set(value, address);
  }
  return address ?? undefined;
}

function toBytes(value: FieldValue | undefined): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return undefined;
}

function toList(value: FieldValue | undefined): readonly string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value as readonly string[];
  const text = toStringValue(value);
  return text === undefined ? undefined : [text];
}

function toPriority(value: FieldValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const parsed = parsePriority(value);
  return parsed.ok ? parsed.value : undefined;
}
