/**
 * `regex` patterns: libsinsp compiles them with RE2 in POSIX syntax (`posix_syntax = true`) and
 * requires a full match. POSIX syntax has no Perl extensions, so `(?i)`, `\d`, `\w`, `\s`, `\b`,
 * `\pN`, `\Q…\E` and non-greedy `*?` are errors there. re2js only parses the Perl flavour, so
 * this module rejects those extensions first, with RE2's own error texts, then lets re2js check
 * the rest and compile the matcher. (One known gap: in POSIX syntax RE2 keeps `[^a]` from matching
 * a newline; re2js lets it.)
 */
import { RE2JS } from 're2js';
import { accept, reject, type ValueResult } from './result.ts';

/** A compiled pattern: `test` is true when the whole text matches. */
export interface CompiledRegex {
  readonly test: (text: string) => boolean;
}

export function parseRegex(pattern: string): ValueResult<CompiledRegex> {
  const posixError = findPerlExtension(pattern);
  if (posixError !== undefined) return reject(`invalid regex pattern: ${posixError}`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return reject(`invalid regex pattern: ${message.replace(/^error parsing regexp: /, '')}`);
  }
  return accept({ test: (text) => compiled.matches(text) });
}

/** The RE2 error a POSIX-syntax parse gives for a Perl-only construct, or undefined. */
function findPerlExtension(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[dDsSwWbBAzCpPQEK]/.test(next) || (/[1-9]/.test(next) && !inClass)) return `invalid escape sequence: \\${next}`;
      i++;
      continue;
    }
    if (inClass) {
      if (ch === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) i = end + 1;
      } else if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (ch === '(' && pattern[i + 1] === '?') return 'no argument for repetition operator: ?';
    if ((ch === '*' || ch === '+' || ch === '?') && pattern[i + 1] === '?') return `bad repetition operator: ${ch}?`;
    if (ch === '}' && pattern[i + 1] === '?' && /\{\d+(,\d*)?$/.test(pattern.slice(0, i))) return `bad repetition operator: ${pattern.slice(pattern.lastIndexOf('{', i), i + 1)}?`;
  }
  return undefined;
}
