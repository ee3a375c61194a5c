/**
 * One `[...]` expression of a glob, read as glibc's `fnmatch` reads it in the C locale (libsinsp's
 * `glob` and `iglob` call `fnmatch`, `iglob` with `FNM_CASEFOLD`). Checked against glibc 2.36.
 *
 * - `!` or `^` right after `[` negates; the next character is a member even when it is `]`.
 * - `\` quotes the next character. `x-y` is the range of code units from x to y, empty when
 *   y < x; its end is the next character whatever it is (`[` included), quoted or `[.y.]`.
 * - `[:name:]` is one of the twelve POSIX classes, ASCII only; `[.x.]` and `[=x=]` are the single
 *   character x (the C locale has no longer collating elements). A `-` after either is a member.
 * - Errors (an unknown class, a collating symbol that is not one character, a range with no end)
 *   stop the reading: the expression then matches only through the members before the error, and
 *   never when negated. glibc also gives up when, after a member matched, it skips a `[=` that is
 *   not `[=x=]`, so those earlier members cannot match at all.
 * - No closing `]`: the `[` is an ordinary character, unless reading the members for `[` hits an
 *   error first, and then the pattern never matches.
 * - With case folding, plain members and range ends compare ASCII-folded; classes, `[.x.]` and
 *   `[=x=]` test the character as it is, so `[[:upper:]]` does not match `a` under `iglob`.
 *
 * Not modelled: where glibc skips over the rest of an expression after a match, a range ending in
 * `[` right before `:name:]` or `=x=]` makes it find a different closing `]`.
 */

/** The code units a bracket expression takes: a table for ASCII, a test for the rest. */
export interface UnitSet {
  readonly ascii: Uint8Array;
  readonly test: (unit: number) => boolean;
}

export type BracketReading =
  | { readonly kind: 'expression'; readonly end: number; readonly units: UnitSet }
  | { readonly kind: 'ordinary' }
  | { readonly kind: 'never' };

/** A member: a range compared with the folded unit, or a test of the unit as it is. */
type Member = { readonly low: number; readonly high: number } | ((unit: number) => boolean);

const posixClasses: Readonly<Record<string, (unit: number) => boolean>> = {
  alpha: (u) => isUpper(u) || isLower(u),
  digit: (u) => isDigit(u),
  alnum: (u) => isUpper(u) || isLower(u) || isDigit(u),
  upper: (u) => isUpper(u),
  lower: (u) => isLower(u),
  space: (u) => u === 0x20 || (u >= 0x09 && u <= 0x0d),
  blank: (u) => u === 0x20 || u === 0x09,
  punct: (u) => isGraph(u) && !isUpper(u) && !isLower(u) && !isDigit(u),
  print: (u) => u >= 0x20 && u <= 0x7e,
  graph: (u) => isGraph(u),
  cntrl: (u) => u <= 0x1f || u === 0x7f,
  xdigit: (u) => isDigit(u) || (u >= 0x41 && u <= 0x46) || (u >= 0x61 && u <= 0x66),
};

const leftBracket = 0x5b;

/** A-Z to a-z, as `tolower` in the C locale. */
export function foldUnit(unit: number): number {
  return unit >= 0x41 && unit <= 0x5a ? unit + 0x20 : unit;
}

/** Reads the bracket expression whose `[` is at `open`. */
export function readBracket(pattern: string, open: number, foldCase: boolean): BracketReading {
  const fold = (unit: number): number => (foldCase ? foldUnit(unit) : unit);
  let i = open + 1;
  const negated = pattern[i] === '!' || pattern[i] === '^';
  if (negated) i++;
  const members: Member[] = [];
  /** How many members were read before the first error, if any. */
  let validCount: number | undefined;
  /** How many members come before the last `[=` that is not `[=x=]`. */
  let unreachableCount = 0;
  const add = (member: Member): void => {
    if (validCount === undefined) members.push(member);
  };
  const fail = (): void => {
    validCount ??= members.length;
  };
  const unreachable = (): ((unit: number, folded: number) => boolean) => unitTest(members.slice(0, unreachableCount));
  const valid = (): ((unit: number, folded: number) => boolean) => unitTest(members.slice(0, validCount));
  // No closing `]`: glibc falls back to an ordinary `[` unless it gave up while reading for `[`.
  const unterminated = (): BracketReading => {
    const gaveUp = unreachable()(leftBracket, leftBracket) || (validCount !== undefined && !valid()(leftBracket, leftBracket));
    return gaveUp ? { kind: 'never' } : { kind: 'ordinary' };
  };
  const terminated = (end: number): BracketReading => {
    const inValid = valid();
    const inUnreachable = unreachable();
    const taken = validCount !== undefined ? (unit: number, folded: number) => !negated && inValid(unit, folded) : (unit: number, folded: number) => inValid(unit, folded) !== negated;
    const test = (unit: number): boolean => {
      const folded = fold(unit);
      return !inUnreachable(unit, folded) && taken(unit, folded);
    };
    const ascii = new Uint8Array(128);
    for (let unit = 0; unit < 128; unit++) ascii[unit] = test(unit) ? 1 : 0;
    return { kind: 'expression', end, units: { ascii, test } };
  };

  for (;;) {
    if (i >= pattern.length) return unterminated();
    const ch = pattern[i];
    const next = pattern[i + 1];
    const className = ch === '[' && next === ':' ? readName(pattern, i + 2, ':', (unit) => unit >= 0x61 && unit < 0x7a) : undefined;
    let start: { unit: number; asIs: boolean } | undefined;
    if (ch === '\\') {
      if (i + 1 >= pattern.length) return { kind: 'never' };
      start = { unit: fold(pattern.charCodeAt(i + 1)), asIs: false };
      i += 2;
    } else if (className !== undefined) {
      const inClass = posixClasses[className];
      if (inClass === undefined) fail();
      else add(inClass);
      i += className.length + 4;
    } else if (ch === '[' && next === '.') {
      const symbol = readName(pattern, i + 2, '.', () => true);
      if (symbol === undefined) return { kind: 'never' };
      i += symbol.length + 4;
      if (symbol.length !== 1) fail();
      // A collating symbol followed by `-]` is neither a member nor a range.
      else if (pattern[i] === '-' && pattern[i + 1] === ']') continue;
      else start = { unit: symbol.charCodeAt(0), asIs: true };
    } else if (ch === '[' && next === '=' && pattern[i + 3] === '=' && pattern[i + 4] === ']') {
      const unit = pattern.charCodeAt(i + 2);
      add((u) => u === unit);
      i += 5;
    } else {
      if (ch === '[' && next === '=') unreachableCount = members.length;
      start = { unit: fold(pattern.charCodeAt(i)), asIs: false };
      i++;
    }
    if (start !== undefined) {
      const isRange = pattern[i] === '-' && i + 1 < pattern.length && pattern[i + 1] !== ']';
      if (!isRange) {
        add(start.asIs ? (u) => u === start.unit : { low: start.unit, high: start.unit });
        // `x-` at the very end: glibc reads a range with no end, an error.
        if (pattern[i] === '-' && i + 1 === pattern.length) {
          fail();
          return unterminated();
        }
      } else {
        const end = readRangeEnd(pattern, i + 1, fold);
        if (end === undefined) return { kind: 'never' };
        if (end.unit === undefined) fail();
        else add({ low: start.unit, high: end.unit });
        i = end.next;
      }
    }
    if (pattern[i] === ']') return terminated(i);
  }
}

/** The end of a range starting at `from`: a character, a quoted one or `[.x.]`. */
function readRangeEnd(pattern: string, from: number, fold: (unit: number) => number): { unit: number | undefined; next: number } | undefined {
  if (pattern[from] === '\\') return from + 1 < pattern.length ? { unit: fold(pattern.charCodeAt(from + 1)), next: from + 2 } : undefined;
  if (pattern[from] === '[' && pattern[from + 1] === '.') {
    const symbol = readName(pattern, from + 2, '.', () => true);
    if (symbol === undefined) return undefined;
    return { unit: symbol.length === 1 ? symbol.charCodeAt(0) : undefined, next: from + symbol.length + 4 };
  }
  return { unit: fold(pattern.charCodeAt(from)), next: from + 1 };
}

/** The name in `[:name:]` or `[.name.]` from `from` up to `<delimiter>]`, when every unit fits. */
function readName(pattern: string, from: number, delimiter: string, fits: (unit: number) => boolean): string | undefined {
  for (let i = from; i < pattern.length; i++) {
    if (pattern[i] === delimiter && pattern[i + 1] === ']') return pattern.slice(from, i);
    if (!fits(pattern.charCodeAt(i))) return undefined;
  }
  return undefined;
}

/** Whether any of `members` takes a unit (given as it is and folded): ASCII by table, the rest by a scan. */
function unitTest(members: readonly Member[]): (unit: number, folded: number) => boolean {
  const byFolded = new Uint8Array(128);
  const byUnit = new Uint8Array(128);
  const wideRanges: { low: number; high: number }[] = [];
  const wideTests: ((unit: number) => boolean)[] = [];
  for (const member of members) {
    if (typeof member === 'function') {
      for (let unit = 0; unit < 128; unit++) if (member(unit)) byUnit[unit] = 1;
      wideTests.push(member);
    } else {
      for (let unit = member.low; unit <= Math.min(member.high, 127); unit++) byFolded[unit] = 1;
      if (member.high > 127) wideRanges.push(member);
    }
  }
  return (unit, folded) => {
    if (unit < 128 ? byUnit[unit] === 1 : wideTests.some((test) => test(unit))) return true;
    if (folded < 128) return byFolded[folded] === 1;
    for (const { low, high } of wideRanges) if (low <= folded && folded <= high) return true;
    return false;
  };
}

function isUpper(unit: number): boolean {
  return unit >= 0x41 && unit <= 0x5a;
}

function isLower(unit: number): boolean {
  return unit >= 0x61 && unit <= 0x7a;
}

function isDigit(unit: number): boolean {
  return unit >= 0x30 && unit <= 0x39;
}

function isGraph(unit: number): boolean {
  return unit >= 0x21 && unit <= 0x7e;
}
