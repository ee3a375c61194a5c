/**
 * Parses the YAML of a rules file into documents as Falco's YAML library (yaml-cpp) hands them to
 * Falco:
 *
 * - A leading byte order mark is skipped (the `yaml` package misreads a block sequence after it).
 *   Node ranges and error positions still count it, so they stay offsets into the file.
 * - Every alias (`*name`) is replaced by the node its anchor names, at any depth: an item of a
 *   list (`items: [&x bash, *x]`), a whole rule (`- *r`), a key. yaml-cpp resolves aliases while
 *   parsing, so Falco never sees one. An alias whose anchor is not defined before it is yaml-cpp's
 *   parse error. Anchors are found in one pass in document order (an anchor may be defined again;
 *   an alias takes the latest one before it), not by the `yaml` package's search from the top for
 *   each alias, which is quadratic.
 * - Aliases cost what they repeat: the reader and the checker go through an aliased node once per
 *   alias, so aliases of aliases ("billion laughs") or one big node aliased many times make a small
 *   file read like a huge one. Past `aliasedSizeLimit` repeated nodes and characters in a
 *   document, the remaining aliases are left unresolved, and FX1025 says where.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments, type Document, type Node } from 'yaml';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { SourceFile } from './source-file.ts';

/** Nodes and scalar characters that the aliases of one document may repeat, all together. */
export const aliasedSizeLimit = 10_000_000;

export interface YamlDocument {
  readonly document: Document.Parsed;
  /**
   * What makes the document unreadable: its syntax errors (FX1003, as the `yaml` package words
   * them), an alias without an anchor (FX1003, yaml-cpp's parse error), aliases past the limit
   * (FX1025). Falco reads no document with one of them.
   */
  readonly problems: readonly Diagnostic[];
  /** Where the alias stood that item `index` of collection `holder` was resolved from, if it was. */
  readonly aliasSite: (holder: object, index: number) => Span | undefined;
}

export function parseYamlDocuments(file: SourceFile): YamlDocument[] {
  const bom = file.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const parsed = parseAllDocuments(bom === 0 ? file.text : file.text.slice(1), { uniqueKeys: false });
  const documents = (Array.isArray(parsed) ? parsed : [parsed]) as Document.Parsed[];
  return documents.map((document) => {
    if (bom !== 0) shiftPositions(document, bom);
    const problems = document.errors.map((error) => diagnostic('FX1003', file.span(error.pos[0], error.pos[1]), { detail: (error.message.split('\n')[0] ?? error.message).replace(/:\s*$/, '.') }));
    const sites = new Map<object, Map<number, Span>>();
    if (problems.length === 0) resolveAliases(document, file, problems, sites);
    return { document, problems, aliasSite: (holder, index) => sites.get(holder)?.get(index) };
  });
}

/** A place that holds a node: the document's contents, an item of a collection, a pair's key or value. */
interface Slot {
  readonly holder: { contents?: unknown; items?: unknown[]; key?: unknown; value?: unknown };
  readonly at: 'contents' | 'key' | 'value' | number;
}

function read(slot: Slot): unknown {
  return typeof slot.at === 'number' ? slot.holder.items![slot.at] : slot.holder[slot.at];
}

function write(slot: Slot, node: unknown): void {
  if (typeof slot.at === 'number') slot.holder.items![slot.at] = node;
  else slot.holder[slot.at] = node;
}

/** Visits every slot of the document's tree once, in document order (keys before values), without recursion. */
function walk(document: Document.Parsed, visit: (slot: Slot, node: unknown) => void): void {
  const pending: Slot[] = [{ holder: document as Slot['holder'], at: 'contents' }];
  for (let slot = pending.pop(); slot !== undefined; slot = pending.pop()) {
    const node = read(slot);
    visit(slot, node);
    if (isPair(node)) {
      pending.push({ holder: node as Slot['holder'], at: 'value' }, { holder: node as Slot['holder'], at: 'key' });
    } else if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) pending.push({ holder: node as Slot['holder'], at: i });
    }
  }
}

/** Moves every node range and error position `by` characters on. */
function shiftPositions(document: Document.Parsed, by: number): void {
  for (const error of document.errors) error.pos = [error.pos[0] + by, error.pos[1] + by];
  walk(document, (_slot, node) => {
    if ((isMap(node) || isSeq(node) || isScalar(node) || isAlias(node)) && node.range) {
      node.range = [node.range[0] + by, node.range[1] + by, node.range[2] + by];
    }
  });
}

/**
 * Replaces each alias by its anchor's node, in document order. The walk does not go into the node
 * an alias is replaced by: that node was walked where it stands (or is the alias's own ancestor).
 */
function resolveAliases(document: Document.Parsed, file: SourceFile, diagnostics: Diagnostic[], sites: Map<object, Map<number, Span>>): void {
  const anchors = new Map<string, Node>();
  const sizes = new Map<unknown, number>();
  let repeated = 0;
  let spent = false;
  walk(document, (slot, node) => {
    if (isMap(node) || isSeq(node) || isScalar(node)) {
      if (node.anchor !== undefined) anchors.set(node.anchor, node);
      return;
    }
    if (!isAlias(node)) return;
    const span = file.span(node.range?.[0] ?? 0, node.range?.[1] ?? 0);
    const target = anchors.get(node.source);
    if (target === undefined) {
      diagnostics.push(diagnostic('FX1003', span, { detail: `the anchor "${node.source}" of this alias is not defined before it.` }));
      return;
    }
    if (spent) return;
    repeated += sizeOf(target, sizes);
    if (repeated > aliasedSizeLimit) {
      spent = true;
      diagnostics.push(diagnostic('FX1025', span, { limit: aliasedSizeLimit.toLocaleString('en-US') }));
      return;
    }
    write(slot, target);
    if (typeof slot.at === 'number') {
      const holderSites = sites.get(slot.holder) ?? new Map<number, Span>();
      holderSites.set(slot.at, span);
      sites.set(slot.holder, holderSites);
    }
  });
}

/**
 * Nodes plus scalar characters that reading `root` goes through, a node shared by aliases counted
 * at each use; computed once per node (post-order, without recursion). A node that contains
 * itself (`&a [*a]`) counts once.
 */
function sizeOf(root: Node, sizes: Map<unknown, number>): number {
  const children = (node: unknown): unknown[] => (isPair(node) ? [node.key, node.value] : isMap(node) || isSeq(node) ? node.items : []);
  const own = (node: unknown): number => (isScalar(node) ? 1 + String(node.source ?? node.value ?? '').length : 1);
  const entered = new Set<unknown>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending[pending.length - 1];
    if (node === null || typeof node !== 'object' || sizes.has(node)) {
      pending.pop();
      continue;
    }
    if (!entered.has(node)) {
      entered.add(node);
      for (const child of children(node)) if (child !== null && typeof child === 'object' && !sizes.has(child) && !entered.has(child)) pending.push(child);
      continue;
    }
    pending.pop();
    let size = own(node);
    for (const child of children(node)) size += sizes.get(child) ?? (child !== null && typeof child === 'object' ? 1 : 0);
    sizes.set(node, size);
  }
  return sizes.get(root) ?? 1;
}
