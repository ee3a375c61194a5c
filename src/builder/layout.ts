/**
 * Lays a built module out as `.falx` text. The lowering reads each condition's text from its file
 * (the checker parses conditions as Falco does, from text), so a built module needs a text in
 * which every node's location is true. It is the formatter's canonical text of the built AST;
 * parsing it back must give the same AST (checked here, node by node), and the parsed tree, now
 * with real locations, is what the compiler gets. Every node whose call site the builder recorded
 * maps its text range to that site, for diagnostics.
 */
import type { FalxFile } from '../language/falx-ast.ts';
import { parseFalx } from '../language/parse-falx.ts';
import { printFalx } from '../language/print-falx.ts';
import { siteOf, type Site } from './site.ts';

/** A range of the laid-out text and the TypeScript call site that built it. */
export interface SiteRange {
  readonly start: number;
  readonly end: number;
  readonly site: Site;
}

export type Layout =
  | { readonly ok: true; readonly text: string; readonly ast: FalxFile; readonly sites: readonly SiteRange[] }
  | { readonly ok: false; readonly reason: string };

/** The `.falx` text of a built file, its parsed AST, and the call sites of its text ranges. */
export function layOut(built: FalxFile): Layout {
  const text = printFalx(built);
  const parsed = parseFalx(text);
  if (!parsed.ok) return { ok: false, reason: `its .falx text does not parse (${parsed.error.message} at line ${parsed.error.loc.start.line}):\n${text}` };
  const sites: SiteRange[] = [];
  const mismatch = match(built, parsed.file, 'file', sites);
  if (mismatch !== undefined) return { ok: false, reason: `its .falx text reads back differently at ${mismatch}:\n${text}` };
  return { ok: true, text, ast: parsed.file, sites };
}

/** Walks both trees together: the path of the first difference (locations aside), or undefined. */
function match(built: unknown, parsed: unknown, path: string, sites: SiteRange[]): string | undefined {
  if (Array.isArray(built) || Array.isArray(parsed)) {
    if (!Array.isArray(built) || !Array.isArray(parsed) || built.length !== parsed.length) return path;
    for (let i = 0; i < built.length; i++) {
      const found = match(built[i], parsed[i], `${path}[${i}]`, sites);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof built !== 'object' || built === null || typeof parsed !== 'object' || parsed === null) return Object.is(built, parsed) ? undefined : path;
  const b = built as Record<string, unknown>;
  const p = parsed as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(p)].filter((k) => k !== 'loc' && !(b[k] === undefined && p[k] === undefined)));
  for (const key of keys) {
    const found = match(b[key], p[key], `${path}.${key}`, sites);
    if (found !== undefined) return found;
  }
  const site = siteOf(built);
  const loc = p['loc'] as { start: { offset: number }; end: { offset: number } } | undefined;
  if (site !== undefined && loc !== undefined) sites.push({ start: loc.start.offset, end: loc.end.offset, site });
  return undefined;
}
