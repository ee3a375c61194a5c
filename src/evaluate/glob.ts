/**
 * `glob`/`iglob`: glibc `fnmatch` without flags (libsinsp's implementation), so `*` and `?` also
 * match `/` and a leading `.`, a backslash quotes the next character (a trailing one never
 * matches), and `[...]` takes ranges, `!`/`^` negation and POSIX classes (see glob-bracket.ts).
 * `iglob` folds ASCII case only, as `FNM_CASEFOLD` does in the C locale. The unit is the UTF-16
 * code unit of the JavaScript string.
 *
 * The text is often attacker-controlled (event fields seen by `falx serve`), so matching must not
 * backtrack: the pattern is split at its stars into fixed-width segments; the first segment is
 * anchored at the start, the last at the end, and each one between is placed at its leftmost
 * occurrence after the previous one. Leftmost is always safe, because a star takes any run of
 * text, and placing a segment as early as possible leaves the most room for the rest. Literal
 * segments are found with `indexOf`; others cost at most the segment's width per text position.
 */
import { asciiLower } from './bytes.ts';
import { foldUnit, readBracket, type UnitSet } from './glob-bracket.ts';

/** In `Segment.units`: any one code unit (`?`), or the bracket expression in `Segment.sets`. */
const anyUnit = -1;
const bracketUnit = -2;

/** The part of a pattern between two stars: one step per code unit of the text. */
interface Segment {
  /** Per position: the (folded) code unit to equal, `anyUnit` or `bracketUnit`. */
  readonly units: Int32Array;
  readonly sets: readonly (UnitSet | undefined)[];
  /** The longest run of code units to equal, searched with `indexOf`, and its offset. */
  readonly anchor: string;
  readonly anchorOffset: number;
  /** Without an anchor: the first bracket step, tested before the whole segment, or -1. */
  readonly filterStep: number;
}

/** A predicate for "the whole text matches `pattern`"; `foldCase` for iglob (ASCII). */
export function compileGlob(pattern: string, foldCase: boolean): (text: string) => boolean {
  const segments = readSegments(pattern, foldCase);
  if (segments === undefined) return () => false;
  const first = segments[0] as Segment;
  const last = segments[segments.length - 1] as Segment;
  const middle = segments.slice(1, -1);
  const fixedWidth = segments.length === 1;
  return (text) => {
    const folded = foldCase ? asciiLower(text) : text;
    if (fixedWidth) return text.length === first.units.length && matchesAt(first, text, folded, 0);
    const tailStart = text.length - last.units.length;
    if (tailStart < first.units.length || !matchesAt(first, text, folded, 0) || !matchesAt(last, text, folded, tailStart)) return false;
    let position = first.units.length;
    for (const segment of middle) {
      const found = leftmost(segment, text, folded, position, tailStart);
      if (found < 0) return false;
      position = found + segment.units.length;
    }
    return true;
  };
}

/** The segments between stars, or undefined when glibc would never report a match. */
function readSegments(pattern: string, foldCase: boolean): Segment[] | undefined {
  const segments: Segment[] = [];
  let units: number[] = [];
  let sets: (UnitSet | undefined)[] = [];
  const literal = (unit: number): void => {
    units.push(foldCase ? foldUnit(unit) : unit);
    sets.push(undefined);
  };
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      segments.push(segment(units, sets));
      units = [];
      sets = [];
    } else if (ch === '?') {
      units.push(anyUnit);
      sets.push(undefined);
    } else if (ch === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      literal(pattern.charCodeAt(++i));
    } else if (ch === '[') {
      const bracket = readBracket(pattern, i, foldCase);
      if (bracket.kind === 'never') return undefined;
      if (bracket.kind === 'ordinary') literal(0x5b);
      else {
        units.push(bracketUnit);
        sets.push(bracket.units);
        i = bracket.end;
      }
    } else literal(pattern.charCodeAt(i));
  }
  segments.push(segment(units, sets));
  return segments;
}

function segment(units: readonly number[], sets: readonly (UnitSet | undefined)[]): Segment {
  let anchorStart = 0;
  let anchorLength = 0;
  for (let start = 0; start < units.length; ) {
    let end = start;
    while (end < units.length && (units[end] ?? anyUnit) >= 0) end++;
    if (end - start > anchorLength) {
      anchorStart = start;
      anchorLength = end - start;
    }
    start = end + 1;
  }
  let anchor = '';
  for (let k = anchorStart; k < anchorStart + anchorLength; k++) anchor += String.fromCharCode(units[k] ?? 0);
  return { units: Int32Array.from(units), sets, anchor, anchorOffset: anchorStart, filterStep: units.indexOf(bracketUnit) };
}

function matchesAt(segment: Segment, text: string, folded: string, at: number): boolean {
  const { units, sets } = segment;
  for (let k = 0; k < units.length; k++) {
    const unit = units[k] ?? anyUnit;
    if (unit >= 0) {
      if (folded.charCodeAt(at + k) !== unit) return false;
    } else if (unit === bracketUnit && !takes(sets[k], text.charCodeAt(at + k))) return false;
  }
  return true;
}

function takes(set: UnitSet | undefined, unit: number): boolean {
  if (set === undefined) return true;
  return unit < 128 ? set.ascii[unit] === 1 : set.test(unit);
}

/** The leftmost position in [from, to - width] where `segment` matches, or -1. */
function leftmost(segment: Segment, text: string, folded: string, from: number, to: number): number {
  const width = segment.units.length;
  const { anchor, anchorOffset, filterStep } = segment;
  if (anchor === '') {
    if (filterStep < 0) return from + width <= to ? from : -1;
    const set = segment.sets[filterStep] as UnitSet;
    const { ascii } = set;
    for (let at = from; at + width <= to; at++) {
      const unit = text.charCodeAt(at + filterStep);
      if ((unit < 128 ? ascii[unit] === 1 : set.test(unit)) && matchesAt(segment, text, folded, at)) return at;
    }
    return -1;
  }
  for (let search = from + anchorOffset; ; ) {
    const hit = folded.indexOf(anchor, search);
    const at = hit - anchorOffset;
    if (hit < 0 || at + width > to) return -1;
    if (anchor.length === width || matchesAt(segment, text, folded, at)) return at;
    search = hit + 1;
  }
}
