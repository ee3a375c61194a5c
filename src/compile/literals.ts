/**
 * Reading `.falx` literals as the values each property expects, with located diagnostics.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Location } from '../language/ast.ts';
import type { Literal, ListLiteralValue, PropertyValue, Spread } from '../language/falx-ast.ts';
import type { Scalar } from '../loader/items.ts';
import { MappedText } from '../loader/mapped-text.ts';
import type { SourceFile } from '../loader/source-file.ts';

export class LiteralReader {
  constructor(
    readonly file: SourceFile,
    readonly diagnostics: Diagnostic[],
  ) {}

  span(loc: Location) {
    return this.file.span(loc.start.offset, loc.end.offset);
  }

  /** A scalar whose value is `value`, located at `loc`. */
  scalar(value: string, loc: Location): Scalar {
    return { value, text: MappedText.fromSource(value, this.file, loc.start.offset, loc.end.offset), span: this.span(loc) };
  }

  expected(what: string, key: string, loc: Location): undefined {
    this.diagnostics.push(diagnostic('FX1013', this.span(loc), { key, expected: what }));
    return undefined;
  }

  /** The text of a literal (string, word, number, boolean). */
  text(value: PropertyValue | Literal | ListLiteralValue | Spread, key: string): string | undefined {
    switch (value.kind) {
      case 'String':
        return value.value;
      case 'Word':
        return value.text;
      case 'Number':
        return value.text;
      case 'Constant':
        return value.value === null ? this.expected('a value', key, value.loc) : String(value.value);
      default:
        return this.expected('a single value', key, value.loc);
    }
  }

  string(value: PropertyValue, key: string): Scalar | undefined {
    if (value.kind !== 'String') return this.expected('a double-quoted string', key, value.loc);
    return this.scalar(value.value, value.loc);
  }

  word(value: PropertyValue, key: string): Scalar | undefined {
    if (value.kind !== 'String' && value.kind !== 'Word') return this.expected('a word or a string', key, value.loc);
    return this.scalar(value.kind === 'String' ? value.value : value.text, value.loc);
  }

  bool(value: PropertyValue, key: string): boolean | undefined {
    if (value.kind !== 'Constant' || value.value === null) return this.expected('true or false', key, value.loc);
    return value.value;
  }

  number(value: PropertyValue, key: string): number | undefined {
    if (value.kind !== 'Number' || !/^\d+$/.test(value.text)) return this.expected('a whole number', key, value.loc);
    return Number(value.text);
  }

  list(value: PropertyValue, key: string): readonly (Literal | ListLiteralValue | Spread)[] | undefined {
    if (value.kind !== 'ListValue') return this.expected('a list in [ ]', key, value.loc);
    return value.items;
  }
}
