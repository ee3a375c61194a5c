/**
 * `glob`/`iglob`: glibc `fnmatch` without flags, so `*` and `?` also match `/` and a leading `.`,
 * a backslash quotes the next character, and `[...]` takes ranges, `!`/`^` negation and POSIX
 * classes. An unterminated `[` is a literal. Compiled once into a JavaScript RegExp.
 */
const posixClasses: Readonly<Record<string, string>> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
};

/** A predicate for "the whole text matches `pattern`"; `foldCase` for iglob (ASCII). */
export function compileGlob(pattern: string, foldCase: boolean): (text: string) => boolean {
  const regex = new RegExp(`^${globSource(pattern)}$`, foldCase ? 'i' : '');
  return (text) => regex.test(text);
}

/** The RegExp source for a glob pattern (no anchors). */
export function globSource(pattern: string): string {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else if (ch === '\\' && i + 1 < pattern.length) source += escapeRegex(pattern[++i] ?? '');
    else if (ch === '[') {
      const bracket = readBracket(pattern, i);
      if (bracket === undefined) source += '\\[';
      else {
        source += bracket.source;
        i = bracket.end;
      }
    } else source += escapeRegex(ch);
  }
  return source;
}

function readBracket(pattern: string, open: number): { source: string; end: number } | undefined {
  let i = open + 1;
  let negate = false;
  if (pattern[i] === '!' || pattern[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  for (; i < pattern.length; i++) {
    const ch = pattern[i] ?? '';
    if (ch === ']' && !first) return { source: `[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (ch === '[' && pattern[i + 1] === ':') {
      const close = pattern.indexOf(':]', i + 2);
      const name = close < 0 ? undefined : posixClasses[pattern.slice(i + 2, close)];
      if (name !== undefined) {
        body += name;
        i = close + 1;
        continue;
      }
    }
    if (ch === '\\' && i + 1 < pattern.length) body += escapeClassChar(pattern[++i] ?? '');
    else if (ch === '-' && body !== '' && pattern[i + 1] !== ']') body += '-';
    else body += escapeClassChar(ch);
  }
  return undefined;
}

function escapeRegex(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

function escapeClassChar(ch: string): string {
  return /[\\\]^\-[]/.test(ch) ? `\\${ch}` : ch;
}
