/**
 * Checks a rule's `output:` the way libsinsp's formatter compiles it: each `%` starts a field,
 * a field with an argument or a transformer expression, matched greedily and shortened until it
 * names a field (so `(user=%user.name)` works); a trailing `%` and unknown fields are errors, and
 * filter-only fields cannot be printed.
 */
import type { Span } from '../diagnostics/diagnostic.ts';
import type { Catalog } from './catalog/catalog.ts';
import { didYouMean } from './catalog/suggest.ts';
import type { CheckScope } from './scope.ts';

export interface OutputField {
  readonly name: string;
  readonly span: Span | undefined;
}

const transformerPlaceholder = /^(tolower|toupper|b64|basename|len|join|concat|getopt)\(/;

export function checkOutput(text: string, scope: CheckScope): OutputField[] {
  const fields: OutputField[] = [];
  const spanOf = (start: number, end: number): Span | undefined => scope.origin.span(start, end);
  for (let i = text.indexOf('%'); i !== -1; i = text.indexOf('%', i + 1)) {
    let start = i + 1;
    while (start < text.length && /\d/.test(text[start]!)) start++;
    if (start >= text.length) {
      scope.report('FX1006', spanOf(i, i + 1), { detail: 'formatting cannot end with a %.' }, { hint: 'Falco has no escape for a literal "%".' });
      break;
    }
    const rest = text.slice(start);
    if (transformerPlaceholder.test(rest)) {
      const close = matchingParenthesis(rest);
      i = start + (close === -1 ? 0 : close);
      continue;
    }
    const candidate = /^[a-zA-Z0-9_.]+(\[[^\]]*\])?/.exec(rest)?.[0] ?? '';
    const resolved = longestField(candidate, scope.catalog);
    if (resolved === undefined) {
      const shown = candidate === '' ? rest.slice(0, 1) : candidate;
      scope.report('FX2006', spanOf(i, start + Math.max(1, candidate.length)), { field: shown }, { hint: didYouMean(scope.catalog.suggest(candidate)) });
      continue;
    }
    const span = spanOf(i, start + resolved.length);
    const field = scope.catalog.resolve(...splitArgument(resolved));
    if (field.ok && field.field.flags.has('FILTER_ONLY')) scope.report('FX3011', span, { field: resolved });
    else if (field.ok && field.field.deprecated && field.field.source === 'libsinsp') scope.report('LOAD_DEPRECATED_ITEM', span, { detail: `Field "${field.field.name}" is deprecated.` });
    if (resolved === 'container.info') scope.report('LOAD_DEPRECATED_ITEM', span, { detail: '%container.info is deprecated and replaced by an empty string; the container plugin appends container fields itself.' });
    fields.push({ name: resolved, span });
    i = start + resolved.length - 1;
  }
  return fields;
}

/** The longest prefix of `candidate` that names a field (libsinsp shortens one character at a time). */
function longestField(candidate: string, catalog: Catalog): string | undefined {
  for (let length = candidate.length; length > 0; length--) {
    const text = candidate.slice(0, length);
    if (text === 'container.info' && catalog.containerPlugin) return text;
    if (catalog.resolve(...splitArgument(text)).ok) return text;
  }
  return undefined;
}

function splitArgument(text: string): [string, string?] {
  const bracket = /^([^[]+)\[(.*)\]$/.exec(text);
  return bracket === null ? [text] : [bracket[1]!, bracket[2]!];
}

function matchingParenthesis(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}
