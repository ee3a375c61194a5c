/**
 * Where macros, lists and rules are defined and used, across the files the server knows (open
 * documents and the rules files of their folders). Read from the text: definitions by their
 * declaration (`macro x =`, `list x:`, `rule "X"` in `.falx`; `- macro: x` in YAML), uses as whole
 * words outside quoted strings and comments, which is where Falco reads macro and list names.
 */
import { blankComments } from '../language/blank-comments.ts';

export type SymbolKind = 'macro' | 'list' | 'rule';

export interface TextRange {
  readonly path: string;
  /** Offsets into the file's text, end exclusive. */
  readonly start: number;
  readonly end: number;
}

export interface Definition extends TextRange {
  readonly kind: SymbolKind;
  readonly name: string;
}

const falxDefinition = /^(?:(macro|list)[ \t]+([A-Za-z_][\w.-]*)|(rule)[ \t]+"((?:[^"\\]|\\.)*)")/gm;
const yamlDefinition = /^-[ \t]+(macro|list|rule)[ \t]*:[ \t]*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^#\n]*?))[ \t]*$/gm;

export function definitionsIn(path: string, text: string): Definition[] {
  const found: Definition[] = [];
  if (path.endsWith('.falx')) {
    for (const m of text.matchAll(falxDefinition)) {
      const kind = (m[1] ?? m[3]) as SymbolKind;
      const name = m[2] ?? m[4]!;
      const start = m.index + m[0].length - name.length - (kind === 'rule' ? 1 : 0);
      found.push({ kind, name, path, start, end: start + name.length });
    }
  } else {
    for (const m of text.matchAll(yamlDefinition)) {
      const name = m[2] ?? m[3] ?? m[4] ?? '';
      if (name === '') continue;
      const start = m.index + m[0].lastIndexOf(name);
      found.push({ kind: m[1] as SymbolKind, name, path, start, end: start + name.length });
    }
  }
  return found;
}

export interface RuleMention extends TextRange {
  readonly name: string;
  /** A rule declaration (`rule "X"`, or any `- rule: X` item of YAML), not an extension, toggle or test. */
  readonly declares: boolean;
}

const falxRuleMention = /^[ \t]*(?:(append|replace|enable|disable)[ \t]+)?(rule|test)[ \t]+"((?:[^"\\]|\\.)*)"/gm;

/** Where a file names rules: the range is the name inside its quotes. */
export function ruleMentionsIn(path: string, text: string): RuleMention[] {
  if (!path.endsWith('.falx')) return definitionsIn(path, text).filter((d) => d.kind === 'rule').map((d) => ({ path, start: d.start, end: d.end, name: d.name, declares: true }));
  const found: RuleMention[] = [];
  for (const m of text.matchAll(falxRuleMention)) {
    const written = m[3]!;
    const start = m.index + m[0].length - 1 - written.length;
    found.push({ path, start, end: start + written.length, name: written.replace(/\\(.)/g, '$1'), declares: m[1] === undefined && m[2] === 'rule' });
  }
  return found;
}

/** Every whole-word occurrence of `name` outside strings and comments (definitions included). */
export function occurrencesIn(path: string, text: string, name: string): TextRange[] {
  const ranges: TextRange[] = [];
  const word = new RegExp(`(?<![\\w.\\[-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.\\]-])`, 'g');
  // In .falx, names are never inside strings; YAML conditions are often quoted as a whole.
  const falx = path.endsWith('.falx');
  const blanked = blankComments(text, falx ? { quotes: '"', blankStrings: true } : { quotes: '', blankStrings: false, commentAfterBlankOnly: true });
  for (const m of blanked.matchAll(word)) ranges.push({ path, start: m.index, end: m.index + name.length });
  return ranges;
}

/** The identifier-like word (macro, list or field name) around an offset. */
export function wordAt(text: string, offset: number): { word: string; start: number; end: number } | undefined {
  let start = offset;
  let end = offset;
  while (start > 0 && /[\w.\-[\]]/.test(text[start - 1]!)) start--;
  while (end < text.length && /[\w.\-[\]]/.test(text[end]!)) end++;
  if (start === end) return undefined;
  return { word: text.slice(start, end), start, end };
}
