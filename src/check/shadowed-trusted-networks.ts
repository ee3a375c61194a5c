/**
 * FX4005: trusted networks that can never matter. Upstream's `outbound` macro leaves out private
 * destinations (`not fd.snet in (rfc_1918_addresses)`), so in `outbound and not fd.snet in
 * (cluster_networks)` a private `cluster_networks` trusts nothing: connections to it never reach
 * the check, and a user who meant "private destinations outside these networks" gets no alert.
 *
 * Found by reading the rule's top-level conjunction with its macros' conjunctions inlined: a
 * destination exclusion that comes from a macro, and a destination check inside one of the rule's
 * own `not (...)` terms whose every network or address lies inside what the macro excludes.
 */
import { networkCovers, parseIpAddress, parseIpNetwork, type IpNetwork } from './values/addresses.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { BinaryCheck, Expr } from '../language/ast.ts';
import type { MappedText } from '../loader/mapped-text.ts';
import type { ListValue } from './scope.ts';

const destinationFields = new Set(['fd.snet', 'fd.sip', 'fd.rnet', 'fd.rip']);

interface Conjunct {
  readonly expr: Expr;
  /** The macro it was inlined from; undefined when written in the rule itself. */
  readonly macro?: string;
}

export function shadowedTrustedNetworks(expr: Expr, text: MappedText, macros: ReadonlyMap<string, Expr>, lists: ReadonlyMap<string, readonly ListValue[]>, diagnostics: Diagnostic[]): void {
  // Most rules trust no destination of their own: then there is nothing to compare, and no macro to inline.
  if (!trustsDestinations(expr)) return;
  const conjuncts = conjunctsOf(expr, macros);
  const exclusions = conjuncts.flatMap((c) => {
    if (c.macro === undefined || c.expr.kind !== 'Not' || c.expr.operand.kind !== 'BinaryCheck') return [];
    const check = c.expr.operand;
    const networks = destinationValues(check, lists);
    return networks === undefined ? [] : [{ macro: c.macro, networks, spelled: spelled(check) }];
  });
  if (exclusions.length === 0) return;
  for (const conjunct of conjuncts) {
    if (conjunct.macro !== undefined || conjunct.expr.kind !== 'Not') continue;
    for (const check of binaryChecksIn(conjunct.expr.operand)) {
      const trusted = destinationValues(check, lists);
      if (trusted === undefined || trusted.length === 0) continue;
      const exclusion = exclusions.find((e) => trusted.every((network) => e.networks.some((outer) => networkCovers(outer, network))));
      if (exclusion === undefined) continue;
      const span = text.span(check.loc.start.offset, check.loc.end.offset);
      if (span === undefined) continue;
      diagnostics.push(diagnostic('FX4005', span, { macro: exclusion.macro, exclusion: exclusion.spelled }, {
        hint: 'To alert on private destinations outside these networks, start from a definition of outbound that keeps private addresses (a falx egress or restricted_namespaces policy owns one).',
      }));
    }
  }
}

/**
 * The terms of the top-level conjunction, macros inlined where they are used as terms. Each macro
 * is inlined once (a repeated term adds nothing here), with a stack rather than recursion: macro
 * chains can be thousands deep.
 */
function conjunctsOf(expr: Expr, macros: ReadonlyMap<string, Expr>): Conjunct[] {
  const conjuncts: Conjunct[] = [];
  const inlined = new Set<string>();
  const pending: Conjunct[] = [{ expr }];
  while (pending.length > 0) {
    const { expr: term, macro } = pending.pop()!;
    const from = macro === undefined ? {} : { macro };
    if (term.kind === 'And') {
      for (let i = term.operands.length - 1; i >= 0; i--) pending.push({ expr: term.operands[i]!, ...from });
      continue;
    }
    const body = term.kind === 'MacroRef' ? macros.get(term.name) : undefined;
    if (term.kind === 'MacroRef' && body !== undefined && !inlined.has(term.name)) {
      inlined.add(term.name);
      pending.push({ expr: body, macro: macro ?? term.name });
      continue;
    }
    conjuncts.push({ expr: term, ...from });
  }
  return conjuncts;
}

/** Whether a `not (...)` term of the rule's own top-level conjunction (nested `and`s flattened) checks a destination. */
function trustsDestinations(expr: Expr): boolean {
  const pending: Expr[] = [expr];
  for (let term = pending.pop(); term !== undefined; term = pending.pop()) {
    if (term.kind === 'And') for (const operand of term.operands) pending.push(operand);
    else if (term.kind === 'Not' && binaryChecksIn(term.operand).some((check) => check.left.kind === 'Field' && destinationFields.has(check.left.name))) return true;
  }
  return false;
}

function binaryChecksIn(expr: Expr): BinaryCheck[] {
  switch (expr.kind) {
    case 'And':
    case 'Or':
      return expr.operands.flatMap(binaryChecksIn);
    case 'BinaryCheck':
      return [expr];
    default:
      return [];
  }
}

/** The networks (addresses as one-address networks) a destination check compares against; undefined for any other check. */
function destinationValues(check: BinaryCheck, lists: ReadonlyMap<string, readonly ListValue[]>): IpNetwork[] | undefined {
  if (check.left.kind !== 'Field' || !destinationFields.has(check.left.name) || check.modifier !== undefined) return undefined;
  if (check.op !== 'in' && check.op !== '=' && check.op !== '==') return undefined;
  const items = check.right.kind === 'List' ? check.right.items : check.right.kind === 'Value' ? [check.right] : undefined;
  if (items === undefined) return undefined;
  const texts = items.flatMap((item) => (!item.quoted && lists.has(item.text) ? lists.get(item.text)!.map((v) => v.text) : [item.text]));
  const networks: IpNetwork[] = [];
  for (const value of texts) {
    // An address is the network of that one address.
    const network = parseIpAddress(value).ok ? parseIpNetwork(`${value}/${value.includes(':') ? 128 : 32}`) : parseIpNetwork(value);
    if (!network.ok) return undefined;
    networks.push(network.value);
  }
  return networks;
}

function spelled(check: BinaryCheck): string {
  const right = check.right.kind === 'List' ? `(${check.right.items.map((i) => i.text).join(', ')})` : check.right.kind === 'Value' ? check.right.text : '';
  return `not ${check.left.kind === 'Field' ? check.left.name : ''} ${check.op} ${right}`;
}
