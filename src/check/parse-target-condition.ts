/**
 * Parses a condition as the target Falco release reads it: its escapes (`\xHH` since 0.45) and its
 * parser's recursion limit (1,000 since 0.45).
 */
import { parseCondition, type ConditionParseResult } from '../language/parse-condition.ts';
import { mayExceedDepth, parserDepth } from '../language/parser-depth.ts';
import type { Catalog } from './catalog/catalog.ts';

export function parseTargetCondition(text: string, catalog: Catalog, alertFields = false): ConditionParseResult {
  const parsed = parseCondition(text, { alertFields, hexEscapes: catalog.language.hexEscapes });
  const limit = catalog.language.maxDepth;
  if (!parsed.ok || limit === undefined || !mayExceedDepth(text, limit)) return parsed;
  const depth = parserDepth(text);
  if (depth <= limit) return parsed;
  const end = { offset: text.length, line: 1, column: text.length + 1 };
  return {
    ok: false,
    error: { message: `exceeded max depth limit of ${limit}: Falco ${catalog.falcoVersion} reads this condition ${depth} levels deep (each level of parentheses costs 5, each nested transformer 2)`, loc: { start: { offset: 0, line: 1, column: 1 }, end } },
  };
}
