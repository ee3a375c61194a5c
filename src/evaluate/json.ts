/**
 * JSON text to values without losing big integers: Falco's `evt.rawtime` and friends exceed 2^53.
 * Integers that a double represents exactly stay numbers; larger ones become bigints.
 */
import { isInteger, parse } from 'lossless-json';
import type { JsonValue } from './event.ts';

export function parseJsonLossless(text: string): JsonValue {
  return parse(text, null, parseNumber) as JsonValue;
}

function parseNumber(text: string): number | bigint {
  if (!isInteger(text)) return Number(text);
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}
