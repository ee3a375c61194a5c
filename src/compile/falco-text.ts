/**
 * Values as Falco text. Falco pastes list items and exception values into conditions as text, so a
 * value that is not a safe bare word must carry its own quotes (`'"a,b"'` in YAML).
 */
import { quote } from '../language/print-condition.ts';

const bareSafe = /^[^()"'\s=,]+$/;

/** The condition text that reads back as `value`: the value itself when bare-safe, else quoted. */
export function conditionToken(value: string, avoid: ReadonlySet<string> = new Set()): string {
  return bareSafe.test(value) && !avoid.has(value) ? value : quote(value);
}
