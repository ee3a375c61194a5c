/**
 * Reading YAML nodes the way Falco's loader does (yaml-cpp conversions), reporting structural
 * mistakes with Falco's messages and the node's place. Aliases are already replaced by their nodes
 * (yaml-documents.ts), as yaml-cpp does before Falco reads anything.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type Scalar as YamlScalar } from 'yaml';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { Scalar } from './items.ts';
import { MappedText } from './mapped-text.ts';
import type { SourceFile } from './source-file.ts';

export class YamlReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(readonly file: SourceFile) {}

  spanOf(node: Node | null | undefined, fallback?: Span): Span {
    const range = node?.range;
    if (!range) return fallback ?? this.file.span(0, 0);
    return this.file.span(range[0], range[1]);
  }

  structureError(detail: string, span: Span): void {
    this.diagnostics.push(diagnostic('FX1004', span, { detail }));
  }

  /** The string form of a scalar node as Falco sees it, or undefined (reported) when it is not one. */
  scalar(node: unknown, key: string, itemSpan: Span): Scalar | undefined {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) {
      this.structureError(`Mapping for key '${key}' is empty.`, isScalar(node) ? this.spanOf(node, itemSpan) : itemSpan);
      return undefined;
    }
    if (!isScalar(node)) {
      this.structureError(`Value for key '${key}' is not a scalar value.`, this.spanOf(node as Node, itemSpan));
      return undefined;
    }
    return this.scalarValue(node);
  }

  /** A scalar's value, mapped onto the file. Plain scalars keep their source spelling (`007`). */
  scalarValue(node: YamlScalar): Scalar {
    const value = node.type === 'PLAIN' && typeof node.source === 'string' ? node.source : String(node.value);
    const range = node.range ?? [0, 0, 0];
    const block = node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL';
    return { value, text: MappedText.fromSource(value, this.file, range[0], range[1], block), span: this.file.span(range[0], range[1]) };
  }

  /** A non-empty string value (Falco: "Value must be non-empty"; blanks are not empty). */
  nonEmptyString(node: unknown, key: string, itemSpan: Span): Scalar | undefined {
    const scalar = this.scalar(node, key, itemSpan);
    if (scalar !== undefined && scalar.value === '') {
      this.structureError(`Value for key '${key}' must be non-empty.`, scalar.span);
      return undefined;
    }
    return scalar;
  }

  /** yaml-cpp's bool conversion: true/false, yes/no, on/off, y/n in their usual spellings. */
  bool(node: unknown, key: string, itemSpan: Span): { value: boolean; span: Span } | undefined {
    const scalar = this.scalar(node, key, itemSpan);
    if (scalar === undefined) return undefined;
    const text = scalar.value;
    if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON|y|Y)$/.test(text)) return { value: true, span: scalar.span };
    if (/^(false|False|FALSE|no|No|NO|off|Off|OFF|n|N)$/.test(text)) return { value: false, span: scalar.span };
    this.structureError(`Value for key '${key}' is not a boolean: "${text}".`, scalar.span);
    return undefined;
  }

  /** A sequence of scalars (`tags`, `items`); null is an empty sequence. */
  scalarSequence(node: unknown, key: string, itemSpan: Span): Scalar[] | undefined {
    if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      this.structureError(`Value for key '${key}' is not a sequence.`, this.spanOf(node as Node, itemSpan));
      return undefined;
    }
    const result: Scalar[] = [];
    for (const element of node.items) {
      if (!isScalar(element)) {
        this.structureError(`An element of '${key}' is not a scalar value (sequence value is not scalar).`, this.spanOf(element as Node, itemSpan));
        return undefined;
      }
      if (element.value === null) continue;
      result.push(this.scalarValue(element));
    }
    return result;
  }

  /** The pairs of a mapping node, or undefined (reported) for anything else. */
  mapping(node: unknown, what: string, fallback: Span): Pair[] | undefined {
    if (!isMap(node)) {
      this.structureError(`${what} must be a mapping.`, this.spanOf(node as Node, fallback));
      return undefined;
    }
    return node.items as Pair[];
  }

  keyOf(pair: Pair): string | undefined {
    return isScalar(pair.key) ? String(pair.key.value) : undefined;
  }
}
