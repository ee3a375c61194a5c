/**
 * Integer values on the right-hand side, parsed the way libsinsp's `sinsp_numparser` does with
 * `sscanf("%<int>%c")`: optional leading blanks, an optional sign, decimal digits and nothing
 * after. `+10` and `007` are fine; `1.5`, `0x10`, `1e3` and `3a` are not.
 *
 * Out-of-range values behave like glibc's `strtol`/`strtoull` followed by a narrowing store:
 * 64-bit values saturate, narrower ones wrap (`user.uid = 4294967296` is `= 0`, `-1` is
 * 4294967295).
 */
import { accept, reject, type ValueResult } from './result.ts';

/** The bit width and signedness of an integer type. */
export interface IntegerWidth {
  readonly bits: 8 | 16 | 32 | 64;
  readonly signed: boolean;
}

const int64Min = -(1n << 63n);
const int64Max = (1n << 63n) - 1n;
const uint64Max = (1n << 64n) - 1n;

/** Parses decimal integer text for an integer type of the given width. */
export function parseInteger(text: string, width: IntegerWidth): ValueResult<bigint> {
  const match = /^[ \t\n\r\f\v]*([+-]?)(\d+)$/.exec(text);
  if (match === null) return reject(`${text} is not a valid number`);
  const magnitude = BigInt(match[2] ?? '0');
  const negative = match[1] === '-';
  let value: bigint;
  if (width.signed) {
    // strtol: saturate to the 64-bit range.
    value = negative ? -magnitude : magnitude;
    if (value < int64Min) value = int64Min;
    if (value > int64Max) value = int64Max;
  } else {
    // strtoull: saturate the magnitude, then negate modulo 2^64.
    const saturated = magnitude > uint64Max ? uint64Max : magnitude;
    value = negative && magnitude <= uint64Max ? BigInt.asUintN(64, -saturated) : saturated;
  }
  return accept(width.bits === 64 ? value : width.signed ? BigInt.asIntN(width.bits, value) : BigInt.asUintN(width.bits, value));
}

/** A bigint as a plain number when that is exact, so that `Set` lookups and `===` agree. */
export function canonicalNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
