/**
 * Route `match` conditions: written in the falx condition language over the event, parsed with the
 * alert keys as fields, checked against the field catalog, and compiled by the language's
 * evaluator. Errors point at the line and column inside the YAML file.
 */
import { isScalar, Scalar, type Node } from 'yaml';
import { Catalog } from '../check/catalog/catalog.ts';
import { checkConditionText } from '../check/check-condition.ts';
import type { TextOrigin } from '../check/scope.ts';
import type { Position, Span } from '../diagnostics/diagnostic.ts';
import { compileCondition, type Matcher } from '../evaluate/compile.ts';
import type { Expr } from '../language/ast.ts';
import type { ConfigReader } from './config-reader.ts';

/** A parsed and checked match condition. */
export interface MatchCondition {
  readonly text: string;
  readonly expr: Expr;
  readonly span: Span;
  /** The compiled condition. */
  readonly matches: Matcher;
}

let alertCatalog: Catalog | undefined;

/** The field catalog with the alert keys (`rule`, `priority`, ...) added, built once. */
export function routerCatalog(): Catalog {
  alertCatalog ??= new Catalog(undefined, { alertFields: true });
  return alertCatalog;
}

/** Reads a `match:` value: parses it and reports syntax and field errors at their YAML position. */
export function readMatch(reader: ConfigReader, node: Node): MatchCondition | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    reader.report('FX7002', node, { detail: '"match" must be a condition written as a string, e.g. priority >= warning and k8s.ns.name = prod.' });
    return undefined;
  }
  const text = node.value;
  const checked = checkConditionText(text, { catalog: routerCatalog(), alertFields: true, file: reader.file, origin: scalarOrigin(reader, node) });
  reader.diagnostics.push(...checked.diagnostics);
  if (checked.expr === undefined || checked.diagnostics.some((d) => d.severity === 'error')) return undefined;
  try {
    const matches = compileCondition(checked.expr, { catalog: routerCatalog() });
    return { text, expr: checked.expr, span: reader.span(node), matches };
  } catch (error) {
    // The evaluator refuses a few things the checker lets through; report them rather than fail at the first event.
    reader.report('FX7011', node, { detail: `The condition cannot be compiled: ${error instanceof Error ? error.message : String(error)}.` });
    return undefined;
  }
}

/**
 * Maps locations inside a scalar's value to spans in the file. The value is rebuilt from the
 * source as segments (one per source line, indentation and quotes stripped), so plain, quoted,
 * literal (`|`) and folded (`>`) scalars all map; escapes in double quotes may shift a column.
 */
function scalarOrigin(reader: ConfigReader, node: Scalar): TextOrigin {
  const [start, end] = node.range ?? [0, 0];
  const source = reader.text.slice(start, end);
  const segments: { sourceOffset: number; length: number }[] = [];
  const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
  let offset = start;
  const lines = source.split('\n');
  lines.forEach((line, index) => {
    const lineStart = offset;
    offset += line.length + 1;
    if (block && index === 0) return;
    let from = index === 0 ? 0 : line.length - line.trimStart().length;
    let to = line.length;
    if (quoted && index === 0) from += 1;
    if (quoted && index === lines.length - 1) to = Math.max(from, line.lastIndexOf(node.type === Scalar.QUOTE_DOUBLE ? '"' : "'"));
    segments.push({ sourceOffset: lineStart + from, length: Math.max(0, to - from) });
  });
  const map = (valueOffset: number): Position => {
    let remaining = valueOffset;
    for (const segment of segments) {
      if (remaining <= segment.length) return reader.position(segment.sourceOffset + remaining);
      remaining -= segment.length + 1;
    }
    const last = segments[segments.length - 1];
    return reader.position(last ? last.sourceOffset + last.length : start);
  };
  return { span: (from, to) => ({ file: reader.file, start: map(from), end: map(to) }), isOneRun: () => true };
}
