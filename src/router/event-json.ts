/**
 * JSON bodies to values. `JSON.parse` is fast but rounds integers above 2^53 (Falco's `evt.time`
 * in nanoseconds, `evt.rawtime`); when a body may hold one, lossless-json keeps it exact as a
 * decimal string, which the evaluator compares as a number.
 */
import { isInteger, parse } from 'lossless-json';

const longNumber = /[-\d]\d{15,}/;

/** Parses a JSON body; throws SyntaxError on invalid JSON. */
export function parseEventJson(text: string): unknown {
  if (!longNumber.test(text)) return JSON.parse(text) as unknown;
  return parse(text, null, (digits: string) => {
    const value = Number(digits);
    return isInteger(digits) && !Number.isSafeInteger(value) ? digits : value;
  });
}
