/**
 * Syntax errors inside `.falx` conditions, told as the condition grammar tells them. The falx
 * grammar reads a condition as far as it parses and then expects the next property, so a condition
 * that does not parse is reported at the last operator that did, with the words of the enclosing
 * block ("expected a property"). Where the failure lies inside a condition, the condition's own
 * text (up to the next property, closing brace or declaration) is parsed again on its own, and its
 * error is the one reported: the same message and position a Falco YAML condition gets.
 */
import type { Location } from './ast.ts';
import { blankComments } from './blank-comments.ts';
import { parseCondition, type ConditionSyntaxError } from './parse-condition.ts';

/** Where a condition starts: `condition:` and `scope:` properties, `macro x =`, `replace macro x =`, `append macro x`. */
const conditionStart = /^[ \t]*(?:(?:condition|scope)[ \t]*:|macro[ \t]+[A-Za-z0-9_]+[ \t]*=|replace[ \t]+macro[ \t]+[A-Za-z0-9_]+[ \t]*=|append[ \t]+macro[ \t]+[A-Za-z0-9_]+)[ \t]*(?:(?:and|or)(?=[ \t\r\n]))?/gm;
/** A line that ends a condition: a property, an exception block, a closing brace, or a declaration at the start of a line. */
const conditionEnd = /^(?:[ \t]*(?:[a-z_][a-z0-9_-]*[ \t]*:|exception\b|\})|[^ \t\r\n#])/;

/**
 * The condition's own syntax error when `failure` (where the falx parser failed) lies inside a
 * condition that does not parse, or on the line after it.
 */
export function conditionErrorAt(source: string, failure: number): ConditionSyntaxError | undefined {
  let start: number | undefined;
  for (const match of source.matchAll(conditionStart)) {
    const end = match.index + match[0].length;
    if (end > failure) break;
    start = end;
  }
  if (start === undefined) return undefined;
  const end = conditionExtent(source, start);
  // A condition ending in an operator reads on into the next line ("and output"), and fails there.
  const nextLineEnd = source.indexOf('\n', source.indexOf('\n', end) + 1);
  if (failure > (nextLineEnd === -1 ? source.length : nextLineEnd)) return undefined;
  const parsed = parseCondition(blankComments(source.slice(start, end), { quotes: '"\'', blankStrings: false }));
  return parsed.ok ? undefined : { ...parsed.error, loc: shift(parsed.error.loc, source, start) };
}

/** The end of the condition that starts at `start`: the end of the last line before one that ends it. */
function conditionExtent(source: string, start: number): number {
  let end = source.indexOf('\n', start);
  if (end === -1) return source.length;
  while (end < source.length) {
    const next = source.indexOf('\n', end + 1);
    const line = source.slice(end + 1, next === -1 ? source.length : next);
    if (line.trim() !== '' && conditionEnd.test(line)) break;
    if (next === -1) return source.length;
    end = next;
  }
  return trimEnd(source, start, end);
}

function trimEnd(source: string, start: number, end: number): number {
  let at = end;
  while (at > start && /\s/.test(source[at - 1]!)) at--;
  return at;
}

function shift(loc: Location, source: string, base: number): Location {
  const at = (offset: number) => {
    const absolute = base + offset;
    const before = source.slice(0, absolute);
    const line = before.split('\n').length;
    return { offset: absolute, line, column: absolute - (before.lastIndexOf('\n') + 1) + 1 };
  };
  return { start: at(loc.start.offset), end: at(loc.end.offset) };
}
