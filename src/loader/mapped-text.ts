/**
 * Text assembled from pieces of source files, remembering where each character came from.
 *
 * Falco builds conditions as text: a macro append is `old + " " + new`, exceptions are pasted after
 * the rule's condition. falx builds the same text, so that it parses what Falco parses, and maps any
 * offset in it back to the file position the user wrote, so that diagnostics point there.
 */
import type { Span } from '../diagnostics/diagnostic.ts';
import { quotedScalarOffsets } from './quoted-scalar-offsets.ts';
import type { SourceFile } from './source-file.ts';

interface Segment {
  readonly start: number;
  readonly end: number;
  readonly file?: SourceFile;
  /** File offset of each character of the segment (the same length as the segment). */
  readonly offsets?: readonly number[];
  /** Where the segment starts in its file, for spans of empty text. */
  readonly anchor?: number;
}

/** A piece of a concatenation: a text at `base`, or a plain string's `length` characters there. */
type Piece = { readonly base: number; readonly text: MappedText } | { readonly base: number; readonly length: number };

export class MappedText {
  private constructor(
    readonly text: string,
    private flatSegments: readonly Segment[] | undefined,
    /** For a concatenation: its pieces, turned into segments only when a span is asked for. */
    private readonly pieces: readonly Piece[] = [],
    /** For a value read from a file: how to map it, run only when a span is asked for (most values never are). */
    private readonly mapLater?: () => readonly Segment[],
  ) {}

  /**
   * The segments, in text order. A concatenation computes them on first use: appends are chained
   * (Falco joins each `append` to the text so far), and copying every segment at each of thousands
   * of appends would be quadratic; flattening the chain once, without recursion, is linear.
   */
  private get segments(): readonly Segment[] {
    if (this.flatSegments !== undefined) return this.flatSegments;
    if (this.mapLater !== undefined) {
      this.flatSegments = this.mapLater();
      return this.flatSegments;
    }
    const segments: Segment[] = [];
    const pending: Piece[] = [{ base: 0, text: this }];
    for (let piece = pending.pop(); piece !== undefined; piece = pending.pop()) {
      if (!('text' in piece)) {
        segments.push({ start: piece.base, end: piece.base + piece.length });
        continue;
      }
      const { text, base } = piece;
      if (text.flatSegments === undefined && text.mapLater === undefined) {
        for (let i = text.pieces.length - 1; i >= 0; i--) {
          const inner = text.pieces[i]!;
          pending.push('text' in inner ? { base: base + inner.base, text: inner.text } : { base: base + inner.base, length: inner.length });
        }
        continue;
      }
      for (const segment of text.segments) segments.push(base === 0 ? segment : { ...segment, start: base + segment.start, end: base + segment.end });
    }
    this.flatSegments = segments;
    return segments;
  }

  /** Text that comes from nowhere in particular (spans fall back to the nearest mapped text). */
  static synthetic(text: string): MappedText {
    return new MappedText(text, [{ start: 0, end: text.length }]);
  }

  /**
   * The value of a YAML scalar, mapped onto its source. Quoted scalars are decoded exactly
   * (escapes, folding); otherwise each character of the value is matched to the next equal
   * character of the source, skipping indentation and folded line breaks, which is exact for plain
   * and block scalars.
   */
  static fromSource(value: string, file: SourceFile, start: number, end: number, blockScalar = false): MappedText {
    return new MappedText(value, undefined, [], () => [{ start: 0, end: value.length, file, offsets: sourceOffsets(value, file.text, start, end, blockScalar), anchor: start }]);
  }

  /** Text that is exactly `file.text` from `start` on (one file character per text character). */
  static exact(text: string, file: SourceFile, start: number): MappedText {
    return new MappedText(text, [{ start: 0, end: text.length, file, offsets: Array.from({ length: text.length }, (_, i) => start + i), anchor: start }]);
  }

  /** Generated text whose every character stands for one place of a file (e.g. a policy's name). */
  static anchored(text: string, file: SourceFile, offset: number): MappedText {
    return new MappedText(text, [{ start: 0, end: text.length, file, offsets: new Array<number>(text.length).fill(offset), anchor: offset }]);
  }

  /** Joins texts and plain strings, keeping every piece's origin (costs the number of parts). */
  static concat(parts: readonly (MappedText | string)[]): MappedText {
    let text = '';
    const pieces: Piece[] = [];
    for (const part of parts) {
      pieces.push(typeof part === 'string' ? { base: text.length, length: part.length } : { base: text.length, text: part });
      text += typeof part === 'string' ? part : part.text;
    }
    return new MappedText(text, undefined, pieces);
  }

  /** The part [start, end) of the text, with its origins. */
  slice(start: number, end: number): MappedText {
    const segments: Segment[] = [];
    for (const segment of this.segments) {
      const from = Math.max(start, segment.start);
      const to = Math.min(end, segment.end);
      if (from >= to) continue;
      const offsets = segment.offsets?.slice(from - segment.start, to - segment.start);
      segments.push({ start: from - start, end: to - start, ...(segment.file ? { file: segment.file } : {}), ...(offsets ? { offsets } : {}) });
    }
    return new MappedText(this.text.slice(start, end), segments);
  }

  /** The file span of text offsets [start, end), or undefined when no character of it has an origin. */
  span(start: number, end: number): Span | undefined {
    // Past the last mapped character (the end of the text), the span starts just after it.
    const first = this.fileOffset(start, +1) ?? justAfter(this.fileOffset(start - 1, -1));
    if (first === undefined) {
      const anchored = this.segments.find((segment) => segment.file !== undefined && segment.anchor !== undefined);
      return anchored?.file?.span(anchored.anchor!, anchored.anchor!);
    }
    const last = end > start ? this.fileOffset(end - 1, -1) : undefined;
    const endOffset = last !== undefined && last.file === first.file && last.offset >= first.offset ? last.offset + 1 : first.offset + Math.max(0, end - start);
    return first.file.span(first.offset, endOffset);
  }

  /** Whether text [start, end) comes from one segment of one file: a run the user wrote, not pasted together. */
  isOneRun(start: number, end: number): boolean {
    const segments = this.segments;
    let low = 0;
    let high = segments.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (segments[mid]!.end <= start) low = mid + 1;
      else high = mid;
    }
    const segment = segments[low];
    return segment !== undefined && segment.file !== undefined && segment.start <= start && end <= segment.end;
  }

  /**
   * For each segment, the index of the nearest segment at or after it (`next`) and at or before it
   * (`previous`) that maps characters to a file; -1 when there is none. Built on first use, so that
   * each span lookup is a binary search, not a walk over every segment (exceptions with thousands
   * of values make texts of tens of thousands of segments).
   */
  private mappedNeighbours: { readonly next: Int32Array; readonly previous: Int32Array } | undefined;

  private neighbours(): { readonly next: Int32Array; readonly previous: Int32Array } {
    if (this.mappedNeighbours !== undefined) return this.mappedNeighbours;
    const count = this.segments.length;
    const next = new Int32Array(count);
    const previous = new Int32Array(count);
    let last = -1;
    for (let i = 0; i < count; i++) {
      if (isMapped(this.segments[i]!)) last = i;
      previous[i] = last;
    }
    last = -1;
    for (let i = count - 1; i >= 0; i--) {
      if (isMapped(this.segments[i]!)) last = i;
      next[i] = last;
    }
    this.mappedNeighbours = { next, previous };
    return this.mappedNeighbours;
  }

  /** The file position of text offset `offset`, searching in `direction` for a mapped character. */
  private fileOffset(offset: number, direction: 1 | -1): { file: SourceFile; offset: number } | undefined {
    const count = this.segments.length;
    if (count === 0) return undefined;
    // Segments lie in text order and do not overlap: find the first one that ends after `offset`.
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.segments[mid]!.end <= offset) low = mid + 1;
      else high = mid;
    }
    const { next, previous } = this.neighbours();
    let index: number;
    if (direction === 1) {
      index = low < count ? next[low]! : -1;
    } else {
      // The last segment that starts at or before `offset`.
      const at = low < count && this.segments[low]!.start <= offset ? low : low - 1;
      index = at >= 0 ? previous[Math.min(at, count - 1)]! : -1;
    }
    if (index === -1) return undefined;
    const segment = this.segments[index]!;
    const fileOffset = segment.offsets![Math.max(segment.start, Math.min(offset, segment.end - 1)) - segment.start];
    return fileOffset === undefined ? undefined : { file: segment.file!, offset: fileOffset };
  }
}

function isMapped(segment: Segment): boolean {
  return segment.file !== undefined && segment.offsets !== undefined && segment.end > segment.start;
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r';
}

function justAfter(position: { file: SourceFile; offset: number } | undefined): { file: SourceFile; offset: number } | undefined {
  return position === undefined ? undefined : { file: position.file, offset: position.offset + 1 };
}

/** Where each character of a YAML scalar's `value` stands in `source`, the scalar's text being [start, end). */
function sourceOffsets(value: string, source: string, start: number, end: number, blockScalar: boolean): readonly number[] {
  const exact = blockScalar ? undefined : quotedScalarOffsets(source, start, value);
  if (exact !== undefined) return exact;
  let cursor = start;
  if (blockScalar) {
    const newline = source.indexOf('\n', start);
    if (newline !== -1 && newline < end) cursor = newline + 1;
  }
  const offsets: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    let found = -1;
    for (let j = cursor; j < end && j < cursor + 64; j++) {
      const s = source[j]!;
      if (s === c || (isBlank(c) && isBlank(s))) {
        found = j;
        break;
      }
    }
    if (found === -1) {
      offsets.push(Math.min(cursor, end));
    } else {
      offsets.push(found);
      cursor = found + 1;
    }
  }
  return offsets;
}
