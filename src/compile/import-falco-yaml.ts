/**
 * `falx import`: a Falco rules YAML file as a `.falx` AST, so existing rules migrate. Each item
 * becomes the declaration that compiles back to the same Falco item:
 *
 * - lists become typed lists (element type inferred from use, see import-list-types.ts); items are
 *   the values their condition text denotes (`'"10.0.0.0/8"'` is 10.0.0.0/8, `a,b` is two values),
 *   and an item naming a list defined earlier becomes a `...name` spread, as Falco nests it;
 * - macros and rules keep every key; conditions are parsed and kept as ASTs;
 * - `override:` entries, the deprecated `append: true`, redefinitions and `enabled`-only items
 *   become `append`/`replace` declarations and `enable`/`disable rule`;
 * - `required_engine_version` / `required_plugin_versions` become `requires` lines.
 *
 * Whatever `.falx` cannot say exactly is reported (FX8001) and left out, never changed silently.
 * YAML comments are not carried over.
 */
import { compareEngineVersions } from '../check/falco-versions.ts';
import { syntaxDiagnostic } from '../check/syntax-diagnostic.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { Expr, Location, Value } from '../language/ast.ts';
import type {
  ConditionText, Declaration, ExceptionDecl, FalxFile, ListElement, ListLiteralValue, Literal, Property, PropertyValue,
  RuleEntry, StringLit, Word,
} from '../language/falx-ast.ts';
import { parseCondition, parseListItems } from '../language/parse-condition.ts';
import { parseFalx } from '../language/parse-falx.ts';
import { isBareWord, printFalx } from '../language/print-falx.ts';
import type { ExceptionItem, ListItem, MacroItem, RuleItem, RulesFileItem, Scalar } from '../loader/items.ts';
import { readRulesFile } from '../loader/read-rules-file.ts';
import { SourceFile } from '../loader/source-file.ts';
import { inferElementType, listUses } from './import-list-types.ts';
import { lowerFile } from './lower.ts';
import { usedFeatures } from './requirements.ts';


export interface FalcoImport {
  /** The `.falx` file; undefined when the YAML could not be read at all. */
  readonly file?: FalxFile;
  readonly diagnostics: Diagnostic[];
}

/** Reader findings that mean content is lost (the rest are Falco's opinions on the YAML). */
const keptReaderCodes = new Set(['LOAD_UNKNOWN_KEY', 'LOAD_UNKNOWN_ITEM']);

export function importFalcoYaml(source: SourceFile): FalcoImport {
  const read = readRulesFile(source);
  const diagnostics = read.diagnostics.filter((d) => d.severity === 'error' || keptReaderCodes.has(d.code));
  if (read.diagnostics.some((d) => d.severity === 'error')) return { diagnostics };
  const importer = new Importer(read.items, diagnostics);
  return { file: withSufficientEngine(importer.run(), source, diagnostics), diagnostics };
}

/**
 * Falco loads a file whose `required_engine_version` is below what its items use (the version is
 * only a minimum), but `.falx` treats that as an error. The import raises it, and says so.
 */
function withSufficientEngine(file: FalxFile, source: SourceFile, diagnostics: Diagnostic[]): FalxFile {
  const index = file.declarations.findIndex((d) => d.kind === 'Requires' && d.what === 'engine');
  const declared = file.declarations[index];
  if (declared?.kind !== 'Requires') return file;
  const text = printFalx(file);
  const parsed = parseFalx(text);
  if (!parsed.ok) return file;
  const lowered = lowerFile(new SourceFile(source.path, text), parsed.file, []);
  const used = usedFeatures([...lowered.lists, ...lowered.macros, ...lowered.rules, ...lowered.extensions]);
  if (used.engine === undefined || compareEngineVersions(declared.version.text, used.engine) >= 0) return file;
  const newest = used.features.filter((f) => f.engine === used.engine).map((f) => f.title)[0] ?? 'a feature';
  const engineItem = readRulesFile(source).items.find((item) => item.kind === 'required_engine_version');
  diagnostics.push(diagnostic('FX8003', engineItem?.span ?? source.span(0, 0), { from: declared.version.text, to: used.engine, feature: newest.charAt(0).toLowerCase() + newest.slice(1) }));
  const raised = { ...declared, version: { ...declared.version, text: used.engine } };
  return { ...file, declarations: file.declarations.map((d, i) => (i === index ? raised : d)) };
}

/** Thrown while converting one item: it cannot be expressed in `.falx` exactly. */
class NotExpressible extends Error {
  constructor(
    readonly reason: string,
    readonly span: Span,
  ) {
    super(reason);
  }
}

const at = { offset: 0, line: 1, column: 1 };
/** Built nodes have no place in any file. */
const nowhere: Location = { start: at, end: at };
const falxName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const listOperators = new Set(['in', 'intersects', 'pmatch']);
/** Keys a rule override may name, in `.falx` spelling. */
const ruleKeys: readonly (readonly [string, string])[] = [
  ['desc', 'desc'], ['condition', 'condition'], ['output', 'output'], ['priority', 'priority'], ['tags', 'tags'],
  ['enabled', 'enabled'], ['warn_evttypes', 'warn_evttypes'], ['skip-if-unknown-filter', 'skip_if_unknown_filter'],
  ['capture', 'capture'], ['capture_duration', 'capture_duration'], ['exceptions', 'exceptions'],
];

class Importer {
  private readonly declarations: Declaration[] = [];
  private readonly conditions = new Map<Scalar, Expr>();
  /** Every list name of the file (a quoted item equal to one cannot be expressed). */
  private readonly listNames: Set<string>;
  /** Lists defined so far, for Falco's "nested only if defined earlier" rule. */
  private readonly listsSoFar = new Set<string>();
  private readonly macrosSoFar = new Set<string>();
  private readonly rulesSoFar = new Map<string, RuleItem>();
  /** The fields each list is compared with, its own and those of lists it is nested in. */
  private readonly uses: Map<string, Set<string>>;

  constructor(
    private readonly items: readonly RulesFileItem[],
    private readonly diagnostics: Diagnostic[],
  ) {
    this.listNames = new Set(items.flatMap((i) => (i.kind === 'list' ? [i.name] : [])));
    for (const item of items) {
      if (item.kind !== 'macro' && item.kind !== 'rule') continue;
      if (item.condition === undefined) continue;
      const parsed = parseCondition(item.condition.value);
      if (parsed.ok) this.conditions.set(item.condition, parsed.expr);
    }
    this.uses = listUses([...this.conditions.values()], this.listNames);
    this.propagateNestedUses();
  }

  run(): FalxFile {
    for (const item of this.items) {
      try {
        this.item(item);
      } catch (error) {
        if (!(error instanceof NotExpressible)) throw error;
        const what = 'name' in item ? `${item.kind} "${item.name}"` : item.kind;
        this.diagnostics.push(diagnostic('FX8001', error.span, { what, reason: error.reason.replace(/\.$/, '') }));
      }
    }
    return { kind: 'File', declarations: this.declarations, comments: [], loc: nowhere };
  }

  /** A list nested in another (by name, defined earlier) is used wherever the outer one is. */
  private propagateNestedUses(): void {
    const lists = this.items.filter((i): i is ListItem => i.kind === 'list');
    for (let changed = true; changed; ) {
      changed = false;
      const seen = new Set<string>();
      for (const list of lists) {
        for (const item of list.items ?? []) {
          if (!seen.has(item.value)) continue;
          const inner = this.uses.get(item.value) ?? new Set<string>();
          for (const field of this.uses.get(list.name) ?? []) {
            if (!inner.has(field)) {
              inner.add(field);
              changed = true;
            }
          }
          this.uses.set(item.value, inner);
        }
        seen.add(list.name);
      }
    }
  }

  private item(item: RulesFileItem): void {
    switch (item.kind) {
      case 'required_engine_version':
        this.declarations.push({ kind: 'Requires', what: 'engine', version: word(item.version), loc: nowhere });
        return;
      case 'required_plugin_versions':
        for (const plugin of item.plugins) {
          if (plugin.alternatives.length > 0) throw new NotExpressible(`plugin "${plugin.name}" has alternatives; .falx "requires plugin" names one plugin`, plugin.span);
          if (!falxName.test(plugin.name) || !/^[0-9]+(\.[0-9]+)*$/.test(plugin.version)) throw new NotExpressible(`"requires plugin" takes a plugin name and an x.y.z version, not "${plugin.name}" "${plugin.version}"`, plugin.span);
          this.declarations.push({ kind: 'Requires', what: 'plugin', plugin: word(plugin.name), version: word(plugin.version), loc: nowhere });
        }
        return;
      case 'list':
        return this.list(item);
      case 'macro':
        return this.macro(item);
      case 'rule':
        return this.rule(item);
    }
  }

  // ---- Lists -----------------------------------------------------------------------------------

  private list(item: ListItem): void {
    this.name(item.name, item.nameSpan, 'list');
    const items = this.listElements(item.items ?? []);
    const operation = item.append ? 'append' : item.override.get('items')?.operation ?? (this.listsSoFar.has(item.name) ? 'replace' : undefined);
    this.listsSoFar.add(item.name);
    if (operation !== undefined) {
      this.declarations.push({ kind: 'ListExtension', operation, name: word(item.name), items, loc: nowhere });
      return;
    }
    const texts = items.flatMap((i) => (i.kind === 'Spread' ? [] : [literalText(i)]));
    const elementType = inferElementType(this.uses.get(item.name) ?? new Set(), texts);
    this.declarations.push({ kind: 'List', name: word(item.name), elementType: word(elementType), items, loc: nowhere });
  }

  /** Falco list items are condition text: each denotes zero or more values, or names a list. */
  private listElements(scalars: readonly Scalar[]): ListElement[] {
    const elements: ListElement[] = [];
    for (const scalar of scalars) {
      if (this.listsSoFar.has(scalar.value)) {
        elements.push({ kind: 'Spread', list: word(scalar.value), loc: nowhere });
        continue;
      }
      // Falco pastes an item with a blank, and no quote of its own, between double quotes.
      const text = scalar.value.includes(' ') && !/^["']/.test(scalar.value) ? `"${scalar.value}"` : scalar.value;
      const values = this.values(text, scalar.span);
      // Falco joins items with ", ": an empty one leaves ", ," behind, which does not parse.
      if (values.length === 0) throw new NotExpressible('an empty item breaks every condition the list is pasted into', scalar.span);
      for (const value of values) elements.push(this.literal(value, scalar.span));
    }
    return elements;
  }

  private values(text: string, span: Span): readonly Value[] {
    const parsed = parseListItems(text);
    if (!parsed.ok) throw new NotExpressible(`"${text}" does not read as values once Falco pastes it into a condition (${parsed.error.message})`, span);
    return parsed.values;
  }

  /** A value as a `.falx` literal; `.falx` values carry no quotes, so a quoted list name is lost. */
  private literal(value: Value, span: Span): Literal {
    if (value.quoted && this.listNames.has(value.text)) {
      throw new NotExpressible(`the quoted value "${value.text}" is also a list name; .falx cannot keep Falco from expanding it`, span);
    }
    return literalOf(value.text);
  }

  // ---- Macros ----------------------------------------------------------------------------------

  private macro(item: MacroItem): void {
    this.name(item.name, item.nameSpan, 'macro');
    if (item.condition === undefined) throw new NotExpressible('the macro has no condition', item.nameSpan);
    const operation = item.append ? 'append' : item.override.get('condition')?.operation ?? (this.macrosSoFar.has(item.name) ? 'replace' : undefined);
    this.macrosSoFar.add(item.name);
    if (operation === 'append') {
      this.declarations.push({ kind: 'MacroExtension', operation, name: word(item.name), condition: this.joinedCondition(item.condition), loc: nowhere });
      return;
    }
    const condition = this.condition(item.condition);
    if (operation === 'replace') this.declarations.push({ kind: 'MacroExtension', operation, name: word(item.name), condition, loc: nowhere });
    else this.declarations.push({ kind: 'Macro', name: word(item.name), condition, loc: nowhere });
  }

  private condition(scalar: Scalar): ConditionText {
    const expr = this.conditions.get(scalar) ?? this.parse(scalar.value, scalar);
    checkBareValues(expr, scalar.span);
    return { kind: 'Condition', expr, loc: nowhere };
  }

  /** An appended condition: Falco joins its text to the old one, so it must start with and/or. */
  private joinedCondition(scalar: Scalar): ConditionText {
    const match = /^\s*(and|or)(?=[\s(])(.*)$/s.exec(scalar.value);
    if (match === null) throw new NotExpressible('an appended condition must start with "and" or "or" to be written in .falx', scalar.span);
    const expr = this.parse(match[2]!, scalar, scalar.value.length - match[2]!.length);
    checkBareValues(expr, scalar.span);
    return { kind: 'Condition', expr, joiner: match[1] as 'and' | 'or', loc: nowhere };
  }

  private parse(text: string, scalar: Scalar, offset = 0): Expr {
    const parsed = parseCondition(text);
    if (parsed.ok) return parsed.expr;
    const shifted = { ...parsed.error, loc: shift(parsed.error.loc, offset) };
    const found = syntaxDiagnostic(shifted, scalar.text);
    throw new NotExpressible(`its condition does not parse: ${found.message}`, found.span ?? scalar.span);
  }

  // ---- Rules -----------------------------------------------------------------------------------

  private rule(item: RuleItem): void {
    const name = string(item.name);
    if (item.append) return this.appendedRule(item, name);
    if (item.override.size > 0) return this.overriddenRule(item, name);
    const definition = item.condition !== undefined || item.output !== undefined || item.desc !== undefined || item.priority !== undefined;
    if (!definition && item.enabled !== undefined) {
      this.dropKeys(item, ['enabled'], 'an enabled-only item only switches the rule on or off');
      this.declarations.push({ kind: 'RuleToggle', enabled: item.enabled.value, name, loc: nowhere });
      return;
    }
    const earlier = this.rulesSoFar.get(item.name);
    this.rulesSoFar.set(item.name, item);
    if (earlier === undefined) {
      const body = this.ruleEntries(item, ruleKeys.map(([key]) => key), false);
      if (item.source !== undefined) body.push({ kind: 'Property', key: word('source'), value: literalOf(item.source.value), loc: nowhere });
      this.declarations.push({ kind: 'Rule', name, body, loc: nowhere });
      return;
    }
    // A redefinition replaces the whole rule; `replace rule` replaces the keys it gives.
    const lost = ruleKeys.map(([key]) => key).filter((key) => hasKey(earlier, key) && !hasKey(item, key));
    if (lost.length > 0) throw new NotExpressible(`it redefines the rule without ${lost.join(', ')}, which "replace rule" would keep`, item.nameSpan);
    if (item.source !== undefined && item.source.value !== (earlier.source?.value ?? 'syscall')) throw new NotExpressible('it redefines the rule with another source', item.source.span);
    this.declarations.push({ kind: 'RuleExtension', operation: 'replace', name, body: this.ruleEntries(item, ruleKeys.map(([key]) => key), false), loc: nowhere });
  }

  /** The deprecated `append: true`: Falco appends the condition and the exceptions, nothing else. */
  private appendedRule(item: RuleItem, name: StringLit): void {
    this.dropKeys(item, ['condition', 'exceptions'], 'Falco ignores it next to "append: true"');
    this.declarations.push({ kind: 'RuleExtension', operation: 'append', name, body: this.ruleEntries(item, ['condition', 'exceptions'], true), loc: nowhere });
  }

  /** `override:` entries: one `append rule` and one `replace rule` (or `enable`/`disable rule`). */
  private overriddenRule(item: RuleItem, name: StringLit): void {
    const present = ruleKeys.map(([key]) => key).filter((key) => hasKey(item, key));
    const unlisted = present.filter((key) => !item.override.has(key));
    if (unlisted.length > 0) throw new NotExpressible(`${unlisted.join(', ')} ${unlisted.length === 1 ? 'has' : 'have'} no entry under "override" (Falco rejects the item)`, item.nameSpan);
    if (item.source !== undefined && item.source.value !== 'syscall') {
      this.diagnostics.push(diagnostic('FX8002', item.source.span, { key: 'source', reason: '.falx overrides apply to the rule of that name' }));
    }
    const keysFor = (operation: string): string[] => present.filter((key) => item.override.get(key)?.operation === operation);
    const appended = keysFor('append');
    const replaced = keysFor('replace');
    if (appended.length > 0) this.declarations.push({ kind: 'RuleExtension', operation: 'append', name, body: this.ruleEntries(item, appended, true), loc: nowhere });
    if (replaced.length === 1 && replaced[0] === 'enabled' && item.enabled !== undefined) {
      this.declarations.push({ kind: 'RuleToggle', enabled: item.enabled.value, name, loc: nowhere });
    } else if (replaced.length > 0) {
      this.declarations.push({ kind: 'RuleExtension', operation: 'replace', name, body: this.ruleEntries(item, replaced, false), loc: nowhere });
    }
  }

  /** Reports keys of `item` other than `kept` (and its name and source) as dropped. */
  private dropKeys(item: RuleItem, kept: readonly string[], reason: string): void {
    for (const [key] of ruleKeys) {
      if (hasKey(item, key) && !kept.includes(key)) this.diagnostics.push(diagnostic('FX8002', item.nameSpan, { key, reason }));
    }
  }

  /** The properties `keys` of a rule item, and its exceptions; `joined` for appended conditions. */
  private ruleEntries(item: RuleItem, keys: readonly string[], joined: boolean): RuleEntry[] {
    const entries: RuleEntry[] = [];
    const property = (key: string, value: PropertyValue): void => {
      entries.push({ kind: 'Property', key: word(key), value, loc: nowhere });
    };
    for (const [key, falxKey] of ruleKeys) {
      if (!keys.includes(key)) continue;
      switch (key) {
        case 'desc':
          if (item.desc !== undefined) property(falxKey, string(item.desc.value.trimEnd()));
          break;
        case 'condition':
          if (item.condition !== undefined) property(falxKey, joined ? this.joinedCondition(item.condition) : this.condition(item.condition));
          break;
        case 'output':
          // Falco trims the output's surrounding blanks (a folded YAML scalar ends with a line break).
          if (item.output !== undefined) property(falxKey, string(item.output.value.trim()));
          break;
        case 'priority':
          if (item.priority !== undefined) property(falxKey, literalOf(item.priority.value));
          break;
        case 'tags':
          if (item.tags !== undefined) property(falxKey, listValue(item.tags.map((t) => literalOf(t.value))));
          break;
        case 'enabled':
          if (item.enabled !== undefined) property(falxKey, constant(item.enabled.value));
          break;
        case 'warn_evttypes':
          if (item.warnEvttypes !== undefined) property(falxKey, constant(item.warnEvttypes));
          break;
        case 'skip-if-unknown-filter':
          if (item.skipIfUnknownFilter !== undefined) property(falxKey, constant(item.skipIfUnknownFilter));
          break;
        case 'capture':
          if (item.capture !== undefined) property(falxKey, constant(item.capture));
          break;
        case 'capture_duration':
          if (item.captureDuration !== undefined) property(falxKey, { kind: 'Number', text: String(item.captureDuration), loc: nowhere });
          break;
        case 'exceptions':
          for (const exception of item.exceptions ?? []) entries.push(this.exception(exception));
          break;
      }
    }
    return entries;
  }

  // ---- Exceptions ------------------------------------------------------------------------------

  private exception(exception: ExceptionItem): ExceptionDecl {
    this.name(exception.name, exception.nameSpan, 'exception');
    const body: Property[] = [];
    const property = (key: string, value: PropertyValue): void => {
      body.push({ kind: 'Property', key: word(key), value, loc: nowhere });
    };
    const single = exception.fields !== undefined && !Array.isArray(exception.fields);
    if (exception.fields !== undefined) property('fields', scalarOrList(exception.fields));
    if (exception.comps !== undefined) property('comps', scalarOrList(exception.comps));
    if (exception.values !== undefined) {
      const comps = exception.comps === undefined ? [] : isTuple(exception.comps) ? exception.comps.map((c) => c.value) : [exception.comps.value];
      const values = exception.values.flatMap((value): (Literal | ListLiteralValue)[] => {
        if (!isTuple(value)) {
          // Single-field form: Falco pastes the values between one pair of parentheses.
          return single ? this.values(pasted(value.value), value.span).map((v) => this.literal(v, value.span)) : [this.exceptionValue(value, comps[0] ?? '=')];
        }
        return [listValue(value.map((element, i) => (isTuple(element) ? listValue(element.map((e) => this.exceptionValue(e, '='))) : this.exceptionValue(element, comps[i] ?? '='))))];
      });
      property('values', listValue(values));
    }
    return { kind: 'Exception', name: word(exception.name), body, loc: nowhere };
  }

  /** One exception value as Falco pastes it after `field comp`. */
  private exceptionValue(scalar: Scalar, comp: string): Literal | ListLiteralValue {
    if (listOperators.has(comp)) {
      const inner = /^\(.*\)$/s.test(scalar.value) ? scalar.value.slice(1, -1) : scalar.value;
      return listValue(this.values(inner, scalar.span).map((v) => this.literal(v, scalar.span)));
    }
    const values = this.values(pasted(scalar.value), scalar.span);
    if (values.length !== 1) throw new NotExpressible(`the exception value "${scalar.value}" is not one value once Falco pastes it into the condition`, scalar.span);
    return this.literal(values[0]!, scalar.span);
  }

  private name(name: string, span: Span, kind: string): void {
    if (!falxName.test(name)) throw new NotExpressible(`a .falx ${kind} name is a letter or "_" followed by letters, digits or "_"`, span);
  }
}

/** Falco's exception value rendering: a value with a blank and no quote of its own gets double quotes. */
function pasted(value: string): string {
  return value.includes(' ') && !/^["']/.test(value) ? `"${value}"` : value;
}

function isTuple<T>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}

function hasKey(item: RuleItem, key: string): boolean {
  return item.keys.has(key);
}

/** `.falx` conditions treat `#` after a blank as a comment: a bare value cannot start with it. */
function checkBareValues(expr: Expr, span: Span): void {
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'Value' && record['quoted'] === false && String(record['text']).startsWith('#')) {
      throw new NotExpressible(`the bare value "${String(record['text'])}" would start a comment in .falx`, span);
    }
    for (const [key, child] of Object.entries(record)) if (key !== 'loc') walk(child);
  };
  walk(expr);
}

function shift(loc: Location, offset: number): Location {
  const move = (p: Location['start']) => ({ ...p, offset: p.offset + offset, column: p.line === 1 ? p.column + offset : p.column });
  return { start: move(loc.start), end: move(loc.end) };
}

function word(text: string): Word {
  return { kind: 'Word', text, loc: nowhere };
}

function string(value: string): StringLit {
  return { kind: 'String', value, loc: nowhere };
}

function constant(value: boolean): Literal {
  return { kind: 'Constant', value, loc: nowhere };
}

function listValue(items: readonly (Literal | ListLiteralValue)[]): ListLiteralValue {
  return { kind: 'ListValue', items, loc: nowhere };
}

/** The literal that reads back as `text`: a number, a bare word, or a string. */
function literalOf(text: string): Literal {
  if (/^[+-]?[0-9]+(\.[0-9]+)?$/.test(text)) return { kind: 'Number', text, loc: nowhere };
  return isBareWord(text) ? word(text) : string(text);
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'String':
      return literal.value;
    case 'Constant':
      return String(literal.value);
    default:
      return literal.text;
  }
}

function scalarOrList(value: Scalar | readonly Scalar[]): Literal | ListLiteralValue {
  return isTuple(value) ? listValue(value.map((s) => literalOf(s.value))) : literalOf(value.value);
}
