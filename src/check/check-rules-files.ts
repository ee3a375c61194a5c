/**
 * Checks Falco rules files as Falco loads them, in order, into one ruleset: reading (structure),
 * collecting (appends and overrides), then every macro and rule condition (syntax, macro and list
 * references, types and values), every output, and Falco's loader warnings. A rule is checked
 * against the fields of its event source (`catalog.forSource`), and so are the macros it uses;
 * a rule of a source no loaded plugin provides is skipped, as Falco skips it. Unlike Falco, falx
 * also checks macros no rule uses, and goes on after an error to report everything at once.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Expr } from '../language/ast.ts';
import { collect } from '../loader/collect.ts';
import { withExceptions } from '../loader/exception-condition.ts';
import type { MappedText } from '../loader/mapped-text.ts';
import type { RulesFileItem } from '../loader/items.ts';
import { readRulesFile } from '../loader/read-rules-file.ts';
import { emptyRuleset, type CollectedMacro, type Ruleset } from '../loader/ruleset.ts';
import type { SourceFile } from '../loader/source-file.ts';
import type { Catalog } from './catalog/catalog.ts';
import { checkExpression, type MacroReference } from './check-expression.ts';
import { eventTypeCount, eventTypeSet, type EventTypeSet } from './event-type-set.ts';
import { underDeclaredEngine } from './engine-requirement.ts';
import { conditionSizeLimit, formatCount, listItemsLimit } from './expansion-limits.ts';
import { expandedSize } from './expansion-size.ts';
import { featureUses } from './feature-uses.ts';
import { walkMacroGraph } from './macro-graph.ts';
import { checkOutput } from './output-format.ts';
import { parseTargetCondition } from './parse-target-condition.ts';
import { resolveLists } from './resolve-lists.ts';
import { shadowedTrustedNetworks } from './shadowed-trusted-networks.ts';
import { CheckScope, PastedItems, type ListValue } from './scope.ts';
import { syntaxDiagnostic } from './syntax-diagnostic.ts';
import { undefinedMacro } from './undefined-macro.ts';

export interface CheckedRuleset {
  readonly ruleset: Ruleset;
  /** Parsed macro conditions, by name. */
  readonly macros: ReadonlyMap<string, Expr>;
  /** Parsed rule conditions (exceptions included), by name. */
  readonly rules: ReadonlyMap<string, Expr>;
  readonly lists: ReadonlyMap<string, readonly ListValue[]>;
  readonly diagnostics: Diagnostic[];
}

/** Falco's loader-accepted priorities (case-insensitive; `info` is a legacy alias). */
const priorities = new Set(['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'info', 'debug']);
/** Rule keys whose errors skip-if-unknown-filter turns into LOAD_UNKNOWN_FILTER warnings. */
const unknownFilterCodes = new Set(['FX2001', 'FX2006', 'FX2009']);

export function checkRulesFiles(files: readonly SourceFile[], catalog: Catalog): CheckedRuleset {
  const diagnostics: Diagnostic[] = [];
  const items: RulesFileItem[][] = [];
  for (const file of files) {
    const read = readRulesFile(file);
    // Loops, not push(...): a file can give more diagnostics than a call takes arguments.
    for (const found of read.diagnostics) diagnostics.push(found);
    items.push(read.items);
  }
  const checked = checkRulesItems(items, catalog);
  // A .falx file's requirements are computed by its compiler; a YAML file's are declared by hand.
  return { ...checked, diagnostics: [...diagnostics, ...checked.diagnostics, ...underDeclaredEngine(checked.ruleset, featureUses(checked))] };
}

/** Extra knowledge the `.falx` compiler has about lists: their declared element types. */
export interface CheckExtras {
  readonly listTypes?: ReadonlyMap<string, string>;
}

/**
 * Checks rules items, file after file in load order: the items Falco YAML is read into, or the
 * items `.falx` declarations are lowered to (so both get the very same checks).
 */
export function checkRulesItems(files: readonly (readonly RulesFileItem[])[], catalog: Catalog, extras: CheckExtras = {}): CheckedRuleset {
  const diagnostics: Diagnostic[] = [];
  const ruleset = emptyRuleset();
  const state = { order: 0 };
  for (const items of files) {
    collect(items, ruleset, state, diagnostics);
    // Falco compiles everything loaded so far after each file: a crashing rule state crashes there, even if a later file redefines the rule.
    for (const rule of ruleset.rules.values()) {
      if (rule.replacedEmptyExceptions === undefined) continue;
      diagnostics.push(diagnostic('FX1032', rule.replacedEmptyExceptions, { name: rule.name }));
      rule.replacedEmptyExceptions = undefined;
    }
  }
  const { values: lists, counts: listCounts } = resolveLists(ruleset.lists, diagnostics);
  const pastedItems = new PastedItems();
  const usedLists = new Set<string>(nestedListUses(ruleset));
  const usedMacros = new Set<string>();
  const macros = new Map<string, Expr>();
  const macroEdges = new Map<string, MacroReference[]>();
  const macroLists = new Map<string, ReadonlySet<string>>();

  // Falco parses every macro but compiles only those a rule uses: a macro's other errors wait until then.
  const macroDiagnostics = new Map<string, Diagnostic[]>();
  for (const macro of [...ruleset.macros.values()].sort((a, b) => a.index - b.index)) {
    if (macro.condition === undefined) continue;
    const found: Diagnostic[] = [];
    macroDiagnostics.set(macro.name, found);
    const checked = checkText(macro.condition, catalog, lists, found, extras, pastedItems);
    if (checked === undefined) continue;
    macros.set(macro.name, checked.expr);
    checked.lists.forEach((name) => usedLists.add(name));
    macroEdges.set(macro.name, checked.macroReferences);
    macroLists.set(macro.name, checked.lists);
    for (const reference of checked.macroReferences) {
      usedMacros.add(reference.name);
      checkMacroReference(reference, macro, ruleset, checked.text, found);
    }
  }
  // A condition that uses a list or macro over its limit is not reported again: the blow-up is there.
  const usesOversized = (macroReferences: readonly MacroReference[], usedLists: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): boolean =>
    macroReferences.some((reference) => (sizes.get(reference.name) ?? 0) > conditionSizeLimit) || [...usedLists].some((list) => (listCounts.get(list) ?? 0) > listItemsLimit);
  const expansion = macroExpansion(walkMacroGraph(macroEdges, ruleset, diagnostics), macros, listCounts, (name, sizes) => usesOversized(macroEdges.get(name) ?? [], macroLists.get(name) ?? new Set(), sizes), catalog.language.evtNumInvariants);
  for (const [name, size] of expansion.oversized) {
    const condition = ruleset.macros.get(name)?.condition;
    diagnostics.push(tooLarge(`The condition of macro "${name}"`, size, condition));
  }

  const rules = new Map<string, Expr>();
  const usedByRules: string[] = [];
  const usedBySyscallRules: string[] = [];
  /** The macros the rules of each plugin event source use, with that source's catalog. */
  const pluginSources = new Map<string, { readonly catalog: Catalog; readonly uses: string[] }>();
  for (const rule of [...ruleset.rules.values()].sort((a, b) => a.index - b.index)) {
    const ruleCatalog = catalog.forSource(rule.source);
    if (ruleCatalog === undefined) {
      diagnostics.push(diagnostic('LOAD_UNKNOWN_SOURCE', rule.definitionSpan, { source: rule.source }));
      continue;
    }
    const sourceUses = ruleCatalog === catalog ? undefined : pluginSources.get(rule.source) ?? pluginSources.set(rule.source, { catalog: ruleCatalog, uses: [] }).get(rule.source)!;
    const ruleDiagnostics: Diagnostic[] = [];
    if (rule.priority !== undefined && !priorities.has(rule.priority.value.toLowerCase())) {
      ruleDiagnostics.push(diagnostic('FX3012', rule.priority.span, { value: rule.priority.value }, { hint: 'Use one of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, INFO, DEBUG.' }));
    }
    if (rule.condition !== undefined) {
      const text = withExceptions(rule.condition, rule.exceptions, ruleDiagnostics, (name) => {
        const bracket = /^([^[]+)\[(.*)\]$/.exec(name);
        return (bracket === null ? ruleCatalog.resolve(name) : ruleCatalog.resolve(bracket[1]!, bracket[2]!)).ok;
      });
      const checked = checkText(text, ruleCatalog, lists, ruleDiagnostics, extras, pastedItems);
      if (checked !== undefined) {
        const size = expandedSize(checked.expr, (name) => expansion.sizes.get(name), (name) => listCounts.get(name));
        if (size > conditionSizeLimit && !usesOversized(checked.macroReferences, checked.lists, expansion.sizes)) ruleDiagnostics.push(tooLarge(`The condition of rule "${rule.name}"`, size, text));
        rules.set(rule.name, checked.expr);
        shadowedTrustedNetworks(checked.expr, text, macros, lists, ruleDiagnostics);
        checked.lists.forEach((name) => usedLists.add(name));
        for (const reference of checked.macroReferences) {
          usedMacros.add(reference.name);
          usedByRules.push(reference.name);
          (sourceUses?.uses ?? usedBySyscallRules).push(reference.name);
          if (!ruleset.macros.has(reference.name)) ruleDiagnostics.push(undefinedMacro(text.span(reference.loc.start.offset, reference.loc.end.offset), reference.name));
        }
        // Falco counts event types for syscall rules only.
        const count = sourceUses === undefined ? eventTypeCount(eventTypeSet(checked.expr, expansion.eventTypes, false, catalog.language.evtNumInvariants)) : undefined;
        if (count !== undefined && rule.warnEvttypes && ((count === 0 && catalog.language.warnNoEventTypes) || count > 100)) diagnostics.push(diagnostic('LOAD_NO_EVTTYPE', rule.definitionSpan, {}, { hint: 'Restrict the condition with evt.type = ... or evt.type in (...), or set warn_evttypes: false.' }));
      }
    }
    if (rule.output !== undefined) checkOutput(rule.output.text, new CheckScope(ruleCatalog, lists, rule.output, ruleDiagnostics, extras.listTypes, pastedItems));
    for (const found of rule.skipIfUnknownFilter ? downgradeUnknownFilters(rule.name, ruleDiagnostics) : ruleDiagnostics) diagnostics.push(found);
  }

  const compiled = reachableMacros(usedByRules, macroEdges);
  const pluginChecks = checkMacrosForPluginSources(pluginSources, macroEdges, ruleset, lists, extras, pastedItems);
  const compiledForSyscall = pluginChecks.size === 0 ? compiled : reachableMacros(usedBySyscallRules, macroEdges);
  for (const [name, found] of macroDiagnostics) {
    if (!compiled.has(name)) {
      for (const d of unusedMacroDiagnostics(name, found)) diagnostics.push(d);
      continue;
    }
    // A macro compiled only in plugin rules is typed by their sources' fields, not by syscall fields.
    const bySource = pluginChecks.get(name);
    const kept = bySource === undefined || compiledForSyscall.has(name) ? found : found.filter((d) => readTimeCodes.has(d.code));
    for (const d of kept) diagnostics.push(d);
    for (const d of bySource ?? []) if (!readTimeCodes.has(d.code) && !kept.some((k) => sameFinding(k, d))) diagnostics.push(d);
  }
  for (const list of ruleset.lists.values()) {
    if (!usedLists.has(list.name)) diagnostics.push(diagnostic('LOAD_UNUSED_LIST', list.definitionSpan));
  }
  for (const macro of ruleset.macros.values()) {
    if (!usedMacros.has(macro.name)) diagnostics.push(diagnostic('LOAD_UNUSED_MACRO', macro.definitionSpan));
  }
  return { ruleset, macros, rules, lists, diagnostics };
}

/** The macros the rules of plugin event sources compile, checked again with each source's fields: what that finds, by macro. */
function checkMacrosForPluginSources(
  sources: ReadonlyMap<string, { readonly catalog: Catalog; readonly uses: readonly string[] }>,
  edges: ReadonlyMap<string, MacroReference[]>,
  ruleset: Ruleset,
  lists: ReadonlyMap<string, readonly ListValue[]>,
  extras: CheckExtras,
  pastedItems: PastedItems,
): Map<string, Diagnostic[]> {
  const checks = new Map<string, Diagnostic[]>();
  for (const { catalog, uses } of sources.values()) {
    for (const name of reachableMacros(uses, edges)) {
      const condition = ruleset.macros.get(name)?.condition;
      if (condition === undefined) continue;
      const found = checks.get(name) ?? checks.set(name, []).get(name)!;
      checkText(condition, catalog, lists, found, extras, pastedItems);
    }
  }
  return checks;
}

function sameFinding(a: Diagnostic, b: Diagnostic): boolean {
  return a.code === b.code && a.message === b.message && a.span?.start.offset === b.span?.start.offset && a.span?.file === b.span?.file;
}

interface CheckedText {
  readonly expr: Expr;
  readonly text: MappedText;
  readonly macroReferences: MacroReference[];
  readonly lists: ReadonlySet<string>;
}

function checkText(text: MappedText, catalog: Catalog, lists: ReadonlyMap<string, readonly ListValue[]>, diagnostics: Diagnostic[], extras: CheckExtras, pastedItems: PastedItems): CheckedText | undefined {
  const parsed = parseTargetCondition(text.text, catalog);
  if (!parsed.ok) {
    diagnostics.push(syntaxDiagnostic(parsed.error, text));
    return undefined;
  }
  const facts = checkExpression(parsed.expr, new CheckScope(catalog, lists, text, diagnostics, extras.listTypes, pastedItems));
  return { expr: parsed.expr, text, macroReferences: facts.macroReferences, lists: facts.listReferences };
}

/** A macro sees only macros defined before its latest definition or append (reference §2.4). */
function checkMacroReference(reference: MacroReference, user: CollectedMacro, ruleset: Ruleset, text: MappedText, diagnostics: Diagnostic[]): void {
  const span = text.span(reference.loc.start.offset, reference.loc.end.offset);
  const target = ruleset.macros.get(reference.name);
  if (target === undefined) {
    diagnostics.push(undefinedMacro(span, reference.name));
  } else if (target.index > user.visibility) {
    diagnostics.push(diagnostic('FX2005', span, { name: reference.name, user: user.name }, { notes: [{ message: `"${reference.name}" is defined here`, span: target.definitionSpan }] }));
  }
}

interface MacroExpansion {
  /** Each macro's size once expanded (nodes and list items; see expandedSize). */
  readonly sizes: ReadonlyMap<string, number>;
  /** The macros over the limit whose own macros are all within it: where a blow-up starts. */
  readonly oversized: ReadonlyMap<string, number>;
  /** The event types each macro's condition can match, plain and negated. */
  readonly eventTypes: (name: string, negated: boolean) => EventTypeSet | undefined;
}

/**
 * Facts about each macro's full expansion, computed once per macro in dependency order from the
 * facts of the macros it uses: linear in the file, however deep or wide the expansion.
 */
function macroExpansion(
  order: readonly string[],
  macros: ReadonlyMap<string, Expr>,
  listCounts: ReadonlyMap<string, number>,
  usesOversized: (name: string, sizes: ReadonlyMap<string, number>) => boolean,
  evtNumInvariants: boolean,
): MacroExpansion {
  const sizes = new Map<string, number>();
  const oversized = new Map<string, number>();
  const plain = new Map<string, EventTypeSet>();
  const negated = new Map<string, EventTypeSet>();
  const eventTypes = (name: string, under: boolean): EventTypeSet | undefined => (under ? negated : plain).get(name);
  for (const name of order) {
    const expr = macros.get(name);
    if (expr === undefined) continue;
    const size = expandedSize(expr, (used) => sizes.get(used), (list) => listCounts.get(list));
    if (size > conditionSizeLimit && !usesOversized(name, sizes)) oversized.set(name, size);
    sizes.set(name, size);
    plain.set(name, eventTypeSet(expr, eventTypes, false, evtNumInvariants));
    negated.set(name, eventTypeSet(expr, eventTypes, true, evtNumInvariants));
  }
  return { sizes, oversized, eventTypes };
}

function tooLarge(what: string, size: number, text: MappedText | undefined): Diagnostic {
  const span = text?.span(0, text.text.length);
  return diagnostic('FX1023', span, { what, count: formatCount(size), limit: formatCount(conditionSizeLimit) }, { hint: 'Each use of a macro copies its condition, and each use of a list its items: look for macros or lists that use an earlier one more than once.' });
}

/** Lists named as whole items of other lists count as used (Falco expands them there). */
function nestedListUses(ruleset: Ruleset): string[] {
  const uses: string[] = [];
  for (const list of ruleset.lists.values()) {
    for (const item of list.items) {
      const nested = ruleset.lists.get(item.value);
      if (nested !== undefined && nested.index < list.index) uses.push(nested.name);
    }
  }
  return uses;
}

/** The macros rules use, directly or through other macros: the ones Falco compiles. */
function reachableMacros(roots: readonly string[], edges: ReadonlyMap<string, readonly MacroReference[]>): Set<string> {
  const seen = new Set<string>();
  const pending = [...roots];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (seen.has(name)) continue;
    seen.add(name);
    for (const reference of edges.get(name) ?? []) pending.push(reference.name);
  }
  return seen;
}

/**
 * An unused macro's findings: what Falco checks when it reads the macro stays (syntax, a list
 * pasted as text, macro names); compile errors become FX4006 warnings and compile warnings
 * (deprecated fields) go, as Falco never compiles it.
 */
function unusedMacroDiagnostics(macro: string, found: readonly Diagnostic[]): Diagnostic[] {
  return found.flatMap((d) => {
    if (d.code === 'LOAD_DEPRECATED_ITEM') return [];
    return d.severity === 'error' && !readTimeCodes.has(d.code) ? [diagnostic('FX4006', d.span, { macro, detail: d.message })] : [d];
  });
}

const readTimeCodes = new Set(['FX1001', 'FX1002', 'FX1005', 'FX1007', 'FX2002', 'FX2005', 'FX2013']);

function downgradeUnknownFilters(rule: string, found: readonly Diagnostic[]): Diagnostic[] {
  return found.map((d) => (unknownFilterCodes.has(d.code) ? diagnostic('LOAD_UNKNOWN_FILTER', d.span, { rule, detail: d.message }) : d));
}
