/**
 * Parses Falco condition text into the typed AST. This is the only module that touches the
 * generated condition parser.
 */
import type { Expr, Location, Value } from './ast.ts';
import { falcoParseError } from './falco-parse-error.ts';
import { parse, SyntaxError as PeggySyntaxError, type PeggyExpectation } from './generated/condition-parser.js';

/** A syntax error, located within the condition text. */
export interface ConditionSyntaxError {
  readonly message: string;
  readonly loc: Location;
  /** Set when the error is an invalid escape sequence inside a quoted string. */
  readonly escape?: string;
  /** Where that escape sequence is, when the error is located elsewhere (Falco points past the string). */
  readonly escapeLoc?: Location;
  readonly hint?: string;
}

export type ConditionParseResult =
  | { readonly ok: true; readonly expr: Expr }
  | { readonly ok: false; readonly error: ConditionSyntaxError };

export interface ParseConditionOptions {
  /**
   * Accept the keys of a Falco alert as fields (`rule`, `priority`, `source`, `tags`, `hostname`),
   * and words after `<`/`>` operators (`priority >= warning`): the router's match conditions.
   */
  readonly alertFields?: boolean;
  /** Accept `\xHH` escapes in quoted strings (Falco 0.45 and later). */
  readonly hexEscapes?: boolean;
}

/**
 * Parses one condition. An empty or blank condition is reported as a syntax error. A Falco
 * condition's syntax error is told as Falco tells it, where Falco points; a router condition's
 * (alert keys as fields) as the generated parser found it.
 */
export function parseCondition(text: string, options: ParseConditionOptions = {}): ConditionParseResult {
  if (text.trim() === '') {
    // Falco skips the blanks, then finds nothing.
    const at = pointAt(text, text.length);
    return { ok: false, error: { message: 'the condition is empty', loc: { start: at, end: at } } };
  }
  try {
    return { ok: true, expr: parse(text, { startRule: 'Condition', alertFields: options.alertFields === true, hexEscapes: options.hexEscapes === true }) };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, error: tooDeep(text) };
    if (!(error instanceof PeggySyntaxError)) throw error;
    const falco = options.alertFields === true ? undefined : falcoParseError(text, options);
    if (falco === undefined) return { ok: false, error: describeSyntaxError(error) };
    const at = pointAt(text, falco.offset);
    const hint = keywordAsMacroHint(falco.message);
    const escape = falco.escape === undefined ? {} : { escape: falco.escape.text, escapeLoc: { start: pointAt(text, falco.escape.offset), end: pointAt(text, falco.escape.offset + falco.escape.text.length) } };
    return { ok: false, error: { message: falco.message, loc: { start: at, end: at }, ...escape, ...(hint !== undefined ? { hint } : {}) } };
  }
}

/** `a and and b`: Falco takes the second `and` for a macro name, then stops after it. */
function keywordAsMacroHint(message: string): string | undefined {
  const keyword = /^unexpected token after '(and|or|not)'/.exec(message)?.[1];
  return keyword === undefined ? undefined : `Falco read the "${keyword}" before this point as a macro name: a condition is missing next to it.`;
}

/** Line and column of `offset`, counted as the generated parser counts them. */
function pointAt(text: string, offset: number): Location['start'] {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { offset, line: before.split('\n').length, column: offset - lineStart + 1 };
}

/**
 * The generated parser recurses once per level of parentheses and runs out of stack somewhere past
 * a thousand levels. Falco 0.44 (libs 0.25.4) has no nesting limit; Falco 0.45 and later stop at a
 * depth of 1,000. The message says both.
 */
function tooDeep(text: string): ConditionSyntaxError {
  const end = { offset: text.length, line: 1, column: text.length + 1 };
  return { message: 'the condition nests parentheses too deeply for falx to read (Falco 0.44 has no such limit; Falco 0.45 and later stop at a nesting depth of 1,000)', loc: { start: { offset: 0, line: 1, column: 1 }, end } };
}

export type ListItemsParseResult =
  | { readonly ok: true; readonly values: readonly Value[] }
  | { readonly ok: false; readonly error: ConditionSyntaxError };

/**
 * Parses the text of Falco list items as they read once pasted into a condition: `a, "b c"`.
 * Falco substitutes lists as text, so an item is a fragment of condition, not a plain string.
 */
export function parseListItems(text: string): ListItemsParseResult {
  try {
    return { ok: true, values: parse(text, { startRule: 'ListItemsText' }) };
  } catch (error) {
    if (!(error instanceof PeggySyntaxError)) throw error;
    return { ok: false, error: describeSyntaxError(error) };
  }
}

export function describeSyntaxError(error: PeggySyntaxError, end = 'the end of the condition'): ConditionSyntaxError {
  const loc: Location = { start: error.location.start, end: error.location.end };
  if (error.expected === null) {
    const escape = /^unsupported escape sequence (.*)$/.exec(error.message)?.[1];
    return escape === undefined ? { message: error.message, loc } : { message: error.message, loc, escape };
  }
  const found = error.found === null ? end : `"${error.found}"`;
  return { message: `expected ${describeExpected(error.expected, end)}, found ${found}`, loc };
}

/** "and", "or" or the end of the condition — in the order a reader expects them. */
function describeExpected(expected: readonly PeggyExpectation[], end: string): string {
  const names = new Set<string>();
  for (const expectation of expected) {
    switch (expectation.type) {
      case 'end':
        names.add(end);
        break;
      case 'literal':
        // A comment is never what the user forgot.
        if (expectation.text !== '#') names.add(`"${expectation.text ?? ''}"`);
        break;
      default:
        if (expectation.description !== undefined) names.add(expectation.description);
    }
  }
  // Blanks are never what the user forgot; naming them only adds noise.
  const list = [...names].filter((name) => !/^\[/.test(name)).sort(byReadingOrder);
  if (list.length === 0) return 'something else';
  if (list.length === 1) return list[0] ?? '';
  return `${list.slice(0, -1).join(', ')} or ${list[list.length - 1] ?? ''}`;
}

function byReadingOrder(a: string, b: string): number {
  const rank = (name: string): number => (name.startsWith('"') ? 0 : name.startsWith('the end') ? 2 : 1);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
