/**
 * Reads a rule's `exceptions:` (reference §3.1): name, fields (one or a list), comps, values
 * (scalars for the single-field form; tuples whose elements may be lists otherwise).
 */
import { isScalar, isSeq, type Node } from 'yaml';
import { diagnostic } from '../diagnostics/create.ts';
import type { Span } from '../diagnostics/diagnostic.ts';
import type { ExceptionItem, Scalar } from './items.ts';
import type { YamlReader } from './yaml-values.ts';

export function readExceptions(reader: YamlReader, node: unknown, ruleSpan: Span): ExceptionItem[] {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return [];
  if (!isSeq(node)) {
    reader.structureError("Rule exceptions must be a sequence.", reader.spanOf(node as Node, ruleSpan));
    return [];
  }
  const result: ExceptionItem[] = [];
  const seen = new Set<string>();
  for (const entry of node.items) {
    const span = reader.spanOf(entry as Node, ruleSpan);
    const pairs = reader.mapping(entry, 'Each exception', span);
    if (pairs === undefined) continue;
    const get = (key: string): unknown => pairs.find((p) => reader.keyOf(p) === key)?.value;
    const name = reader.nonEmptyString(get('name'), 'name', span);
    if (name === undefined) continue;
    if (seen.has(name.value)) reader.diagnostics.push(diagnostic('LOAD_EXCEPTION_NAME_NOT_UNIQUE', name.span, { name: name.value }));
    seen.add(name.value);
    const exception: { -readonly [K in keyof ExceptionItem]?: ExceptionItem[K] } = { name: name.value, nameSpan: name.span, span };
    const fields = scalarOrSequence(reader, get('fields'), 'fields', span);
    if (fields !== undefined) exception.fields = fields;
    const comps = scalarOrSequence(reader, get('comps'), 'comps', span);
    if (comps !== undefined) exception.comps = comps;
    const valuesNode = get('values');
    if (valuesNode !== undefined && valuesNode !== null) {
      exception.valuesSpan = reader.spanOf(valuesNode as Node, span);
      exception.values = readValues(reader, valuesNode, span);
    }
    result.push(exception as ExceptionItem);
  }
  return result;
}

function scalarOrSequence(reader: YamlReader, node: unknown, key: string, span: Span): Scalar | Scalar[] | undefined {
  if (node === undefined || node === null || (isScalar(node) && node.value === null)) return undefined;
  if (isScalar(node)) return reader.scalarValue(node);
  return reader.scalarSequence(node, key, span);
}

function readValues(reader: YamlReader, node: unknown, span: Span): (Scalar | (Scalar | Scalar[])[])[] {
  if (!isSeq(node)) {
    if (!(isScalar(node) && node.value === null)) reader.structureError("Exception values must be a sequence.", reader.spanOf(node as Node, span));
    return [];
  }
  const values: (Scalar | (Scalar | Scalar[])[])[] = [];
  for (const value of node.items) {
    if (isScalar(value)) {
      values.push(reader.scalarValue(value));
      continue;
    }
    if (!isSeq(value)) {
      reader.structureError('An exception value must be a scalar or a sequence.', reader.spanOf(value as Node, span));
      continue;
    }
    const tuple: (Scalar | Scalar[])[] = [];
    for (const element of value.items) {
      if (isScalar(element)) tuple.push(reader.scalarValue(element));
      else if (isSeq(element)) tuple.push(reader.scalarSequence(element, 'values', span) ?? []);
      else reader.structureError('An exception value element must be a scalar or a sequence.', reader.spanOf(element as Node, span));
    }
    values.push(tuple);
  }
  return values;
}
