/**
 * Falco appends conditions as text: `old + " " + new`. Appending `and x` to a condition whose top
 * level is an `or` makes `a or b and x`, which binds as `a or (b and x)`: the new check guards only
 * the last alternative. The usual intent is `(a or b) and x`, so falx warns.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { MappedText } from './mapped-text.ts';

/**
 * Appends `appended` to `old` as Falco does (`old + " " + appended`), warning when an appended
 * `and` binds to the last alternative of a top-level `or` only.
 */
export function appendCondition(old: MappedText, appended: MappedText, span: Span, diagnostics: Diagnostic[]): MappedText {
  const before = scanOf(old);
  if (/^\s*and\b/.test(appended.text) && before.found) {
    diagnostics.push(diagnostic('FX4004', span, {}, { hint: 'Put the original condition in parentheses, or append to a macro the rule uses in an "and".' }));
  }
  const joined = MappedText.concat([old, ' ', appended]);
  // A condition appended to thousands of times is scanned once in all, not once per append.
  scans.set(joined, before.copy().feed(' ').feed(appended.text));
  return joined;
}

const scans = new WeakMap<MappedText, TopLevelOrScan>();

function scanOf(text: MappedText): TopLevelOrScan {
  let scan = scans.get(text);
  if (scan === undefined) {
    scan = new TopLevelOrScan().feed(text.text);
    scans.set(text, scan);
  }
  return scan;
}

/**
 * Whether a text has an `or` outside parentheses and quotes (between blanks or before a
 * parenthesis), read piece by piece: the state after a text carries over to what is appended.
 */
class TopLevelOrScan {
  found = false;
  private depth = 0;
  private quote: string | undefined;
  /** The last three characters, oldest first; the start of the text counts as blanks. */
  private last = '   ';

  copy(): TopLevelOrScan {
    const copy = new TopLevelOrScan();
    Object.assign(copy, { found: this.found, depth: this.depth, quote: this.quote, last: this.last });
    return copy;
  }

  feed(text: string): this {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.quote !== undefined) {
        if (c === this.quote && this.last[2] !== '\\') this.quote = undefined;
      } else {
        // "or" were the last two characters, after a blank, at the top level: this one ends the word.
        if (this.depth === 0 && this.last[1] === 'o' && this.last[2] === 'r' && /\s/.test(this.last[0]!) && /[\s(]/.test(c)) this.found = true;
        if (c === '"' || c === "'") this.quote = c;
        else if (c === '(') this.depth++;
        else if (c === ')') this.depth--;
      }
      this.last = this.last.slice(1) + c;
    }
    return this;
  }
}
