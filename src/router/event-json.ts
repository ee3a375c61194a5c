/**
 * JSON bodies to values. `JSON.parse` is fast but rounds integers above 2^53 (Falco's `evt.time`
 * in nanoseconds, `evt.rawtime`); when a body may hold one, lossless-json keeps it exact as a
 * decimal string, which the evaluator compares as a number.
 */
import { isInteger, parse } from 'lossless-json';

const longNumber = /[-\d]\d{15,}/;

/** Deeper than any Falco or Falcosidekick event (output_fields holds scalars and lists). */
const maxDepth = 32;

/** Thrown for a body nested deeper than an event can be: refused before any recursive code sees it. */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`nested more than ${maxDepth} levels deep; an event is an object of values and lists`);
  }
}

/** Whether brackets outside strings nest deeper than `maxDepth`. A linear scan, no recursion. */
function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === 0x7d || code === 0x5d) depth -= 1;
  }
  return false;
}

/** Parses a JSON body; throws SyntaxError on invalid JSON, JsonTooDeepError on absurd nesting. */
export function parseEventJson(text: string): unknown {
  if (tooDeep(text)) throw new JsonTooDeepError();
  if (!longNumber.test(text)) return JSON.parse(text) as unknown;
  return parse(text, null, (digits: string) => {
    const value = Number(digits);
    return isInteger(digits) && !Number.isSafeInteger(value) ? digits : value;
  });
}
