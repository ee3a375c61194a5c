/**
 * A file's text with a line index, to turn offsets into the 1-based positions of diagnostics.
 * A leading byte order mark is not part of line 1 (editors do not show it): offsets still count it,
 * columns do not.
 */
import type { Position, Span } from '../diagnostics/diagnostic.ts';

export class SourceFile {
  private readonly lineStarts: number[];

  constructor(
    /** The path as the user gave it (diagnostics print it as is). */
    readonly path: string,
    readonly text: string,
  ) {
    this.lineStarts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { offset: clamped, line: low + 1, column: Math.max(1, clamped - this.lineStarts[low]! + 1) };
  }

  span(start: number, end: number): Span {
    return { file: this.path, start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** Offsets into the file itself: every range is as the user wrote it. */
  isOneRun(): boolean {
    return true;
  }

  /** The text of line `line` (1-based), without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
}
