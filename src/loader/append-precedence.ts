/**
 * Falco appends conditions as text: `old + " " + new`. Appending `and x` to a condition whose top
 * level is an `or` makes `a or b and x`, which binds as `a or (b and x)`: the new check guards only
 * the last alternative. The usual intent is `(a or b) and x`, so falx warns.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';

export function checkAppendPrecedence(old: string, appended: string, span: Span, diagnostics: Diagnostic[]): void {
  if (!/^\s*and\b/.test(appended) || !hasTopLevelOr(old)) return;
  diagnostics.push(diagnostic('FX4004', span, {}, { hint: 'Put the original condition in parentheses, or append to a macro the rule uses in an "and".' }));
}

/** Whether `text` has an `or` outside parentheses and quotes. */
function hasTopLevelOr(text: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote && text[i - 1] !== '\\') quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (depth === 0 && /\s/.test(text[i - 1] ?? ' ') && text.startsWith('or', i) && /[\s(]/.test(text[i + 2] ?? '')) {
      return true;
    }
  }
  return false;
}
