/**
 * Typed reading of a YAML configuration node by node, collecting diagnostics with file:line:col
 * instead of throwing. Each getter reports what is wrong and returns undefined, so one pass over
 * the file reports every problem.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import { diagnostic, type MessageArgs } from '../diagnostics/create.ts';
import type { Diagnostic, Position, Span } from '../diagnostics/diagnostic.ts';
import { suggest } from '../check/catalog/suggest.ts';
import { parseDuration } from './duration.ts';
import { describeSecretRef, resolveSecret, type Secret, type SecretRef, type SecretSource } from './secret.ts';

/** Reads values out of one YAML document and collects diagnostics about them. */
export class ConfigReader {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    /** The whole file's text, for mapping positions inside scalars. */
    readonly text: string,
    private readonly lines: LineCounter,
    /** Where secrets are resolved from; undefined when only checking the file (`--check`). */
    private readonly secrets: SecretSource | undefined,
  ) {}

  /** The span of a node (or of the whole file when the node has no range). */
  span(node: Node | null | undefined): Span {
    const range = node?.range;
    return range ? this.spanAt(range[0], range[1]) : this.spanAt(0, 0);
  }

  /** The span between two offsets of the file. */
  spanAt(startOffset: number, endOffset: number): Span {
    return { file: this.file, start: this.position(startOffset), end: this.position(endOffset) };
  }

  /** A 1-based position for an offset of the file. */
  position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { offset, line: Math.max(line, 1), column: Math.max(col, 1) };
  }

  report(code: DiagnosticCode, node: Node | null | undefined, args: MessageArgs = {}, hint?: string): void {
    this.diagnostics.push(diagnostic(code, this.span(node), args, { hint }));
  }

  reportAt(code: DiagnosticCode, span: Span, args: MessageArgs = {}, hint?: string): void {
    this.diagnostics.push(diagnostic(code, span, args, { hint }));
  }

  /** The node as a map, or a diagnostic. */
  map(node: Node | null | undefined, where: string): YAMLMap<unknown, unknown> | undefined {
    if (isMap(node)) return node;
    this.report('FX7002', node, { detail: `${where} must be a mapping of keys to values.` });
    return undefined;
  }

  /** The node as a sequence, or a diagnostic. */
  seq(node: Node | null | undefined, where: string): YAMLSeq<unknown> | undefined {
    if (isSeq(node)) return node;
    this.report('FX7002', node, { detail: `${where} must be a list.` });
    return undefined;
  }

  /** Reports keys of `map` that are not in `known`, with a suggestion. */
  checkKeys(map: YAMLMap<unknown, unknown>, known: readonly string[], where: string): void {
    for (const pair of map.items) {
      const key = keyOf(pair);
      if (key !== undefined && !known.includes(key)) {
        const close = suggest(key, [...known])[0];
        this.report('FX7001', pair.key as Node, { key, where }, close ? `Did you mean "${close}"?` : `Known keys: ${known.join(', ')}.`);
      }
    }
  }

  /** The value node of `key`, or undefined if absent. */
  node(map: YAMLMap<unknown, unknown>, key: string): Node | undefined {
    const pair = map.items.find((item) => keyOf(item) === key);
    return pair ? ((pair.value ?? pair.key) as Node) : undefined;
  }

  has(map: YAMLMap<unknown, unknown>, key: string): boolean {
    return map.items.some((item) => keyOf(item) === key);
  }

  missing(map: YAMLMap<unknown, unknown>, key: string, where: string): void {
    this.report('FX7003', map, { key, where });
  }

  string(map: YAMLMap<unknown, unknown>, key: string, where: string): string | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
    this.report('FX7002', node, { detail: `"${key}" in ${where} must be a string.` });
    return undefined;
  }

  boolean(map: YAMLMap<unknown, unknown>, key: string, where: string): boolean | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.report('FX7002', node, { detail: `"${key}" in ${where} must be true or false.` });
    return undefined;
  }

  /** A number within [min, max]. */
  number(map: YAMLMap<unknown, unknown>, key: string, where: string, min: number, max: number): number | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && node.value >= min && node.value <= max) return node.value;
    this.report('FX7002', node, { detail: `"${key}" in ${where} must be a number from ${min} to ${max}.` });
    return undefined;
  }

  /** A whole number within [min, max] (a count: attempts, connections). */
  integer(map: YAMLMap<unknown, unknown>, key: string, where: string, min: number, max: number): number | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.value >= min && node.value <= max) return node.value;
    this.report('FX7002', node, { detail: `"${key}" in ${where} must be a whole number from ${min} to ${max}.` });
    return undefined;
  }

  /** A duration of at least `minMs` (a positive interval, say), or a diagnostic. */
  durationAtLeast(map: YAMLMap<unknown, unknown>, key: string, where: string, minMs: number): number | undefined {
    const ms = this.duration(map, key);
    if (ms === undefined || ms >= minMs) return ms;
    this.report('FX7002', this.node(map, key), { detail: `"${key}" in ${where} must be at least ${minMs} ms.` });
    return undefined;
  }

  /** A byte size: a number, or text such as `256kb`, `1mb`. */
  bytes(map: YAMLMap<unknown, unknown>, key: string, where: string): number | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      if (typeof node.value === 'number' && node.value > 0) return node.value;
      const match = typeof node.value === 'string' ? /^(\d+)\s*(b|kb|mb)?$/i.exec(node.value.trim()) : null;
      if (match) return Number(match[1]) * ({ b: 1, kb: 1024, mb: 1024 * 1024 }[(match[2] ?? 'b').toLowerCase()] ?? 1);
    }
    this.report('FX7002', node, { detail: `"${key}" in ${where} must be a size such as 262144, 256kb or 1mb.` });
    return undefined;
  }

  /** A duration in milliseconds (`30s`, `5m`). */
  duration(map: YAMLMap<unknown, unknown>, key: string): number | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    const ms = isScalar(node) ? parseDuration(String(node.value)) : undefined;
    if (ms === undefined) this.report('FX7007', node, { value: isScalar(node) ? String(node.value) : '(not a scalar)' });
    return ms;
  }

  /** A list of strings; a single string counts as a list of one. */
  stringList(map: YAMLMap<unknown, unknown>, key: string, where: string): { values: string[]; nodes: Node[] } | undefined {
    const node = this.node(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return { values: [node.value], nodes: [node] };
    if (isSeq(node) && node.items.every((item) => isScalar(item) && typeof item.value === 'string')) {
      const items = node.items as Node[];
      return { values: items.map((item) => String(isScalar(item) ? item.value : '')), nodes: items };
    }
    this.report('FX7002', node, { detail: `"${key}" in ${where} must be a string or a list of strings.` });
    return undefined;
  }

  /**
   * A secret: `{env: NAME}`, `{file: PATH}` or a literal string (reported as a warning). Resolved
   * only when the reader has a secret source; when checking, a placeholder stands in.
   */
  secret(map: YAMLMap<unknown, unknown>, key: string, where: string): Secret | 'unresolved' | undefined {
    const node = this.node(map, key);
    return node === undefined ? undefined : this.secretAt(node, `"${key}" in ${where}`);
  }

  /** A secret from a node (a list item, say); see `secret`. */
  secretAt(node: Node, where: string): Secret | 'unresolved' | undefined {
    const ref = this.secretRef(node, where);
    if (ref === undefined) return undefined;
    if (this.secrets === undefined) return 'unresolved';
    const resolved = resolveSecret(ref, this.secrets);
    if (resolved.ok) return resolved.secret;
    this.report('FX7008', node, { ref: describeSecretRef(ref), reason: resolved.reason });
    return undefined;
  }

  /** Parses a secret reference node. */
  secretRef(node: Node, where: string): SecretRef | undefined {
    if (isScalar(node) && typeof node.value === 'string') {
      this.report('FX7010', node, { where });
      return { from: 'literal', value: node.value };
    }
    if (isMap(node) && node.items.length === 1) {
      const pair = node.items[0] as Pair<unknown, unknown>;
      const kind = keyOf(pair);
      const value = isScalar(pair.value) && typeof pair.value.value === 'string' ? pair.value.value : undefined;
      if (kind === 'env' && value) return { from: 'env', name: value };
      if (kind === 'file' && value) return { from: 'file', path: value };
    }
    this.report('FX7002', node, { detail: `${where} must be {env: VARIABLE} or {file: /path/to/secret}.` });
    return undefined;
  }
}

/** The string key of a pair, if it has one. */
export function keyOf(pair: Pair<unknown, unknown>): string | undefined {
  return isScalar(pair.key) && (typeof pair.key.value === 'string' || typeof pair.key.value === 'number') ? String(pair.key.value) : undefined;
}

