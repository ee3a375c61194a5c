/**
 * A file's text with a line index, to turn offsets into the 1-based positions of diagnostics.
 */
import type { Position, Span } from '../diagnostics/diagnostic.ts';

export class SourceFile {
  private readonly lineStarts: number[] = [0];

  constructor(
    /** The path as the user gave it (diagnostics print it as is). */
    readonly path: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
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
    return { offset: clamped, line: low + 1, column: clamped - this.lineStarts[low]! + 1 };
  }

  span(start: number, end: number): Span {
    return { file: this.path, start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  /** The text of line `line` (1-based), without its line break. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
}
