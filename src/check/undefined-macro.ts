import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';

/** FX2002, with a word of help when the "macro" is a keyword left without its operand (`a or not`). */
export function undefinedMacro(span: Span | undefined, name: string): Diagnostic {
  const keyword = name === 'and' || name === 'or' || name === 'not';
  return diagnostic('FX2002', span, { name }, keyword ? { hint: `Falco reads "${name}" here as a macro name: a condition is missing next to it.` } : {});
}
