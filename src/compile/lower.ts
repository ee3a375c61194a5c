/**
 * Lowers one `.falx` file to the items of Falco's loader (so the checker treats it exactly like
 * Falco YAML, with spans in the `.falx` file) and to the YAML items to emit.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { Expr, Location } from '../language/ast.ts';
import type {
  ConditionText, Declaration, ExceptionDecl, FalxFile, ListElement, ListExtension, ListDecl, Literal, ListLiteralValue,
  MacroDecl, MacroExtension, Property, RuleDecl, RuleEntry, RuleExtension, RuleToggle, Spread, TestDecl,
} from '../language/falx-ast.ts';
import { printCondition } from '../language/print-condition.ts';
import type { ExceptionItem, OverrideOperation, RuleItem, Scalar } from '../loader/items.ts';
import { MappedText } from '../loader/mapped-text.ts';
import type { SourceFile } from '../loader/source-file.ts';
import { conditionToken } from './falco-text.ts';
import { invalidElement, isElementType } from './list-elements.ts';
import { LiteralReader } from './literals.ts';
import { emitMap, type EmitValue, type LoweredItem, type LoweredTest } from './lowered.ts';
import { lowerPolicy, type LoweredPolicy } from './policies.ts';
import { elementTypes } from '../language/falx-ast.ts';

export interface LoweredFile {
  readonly lists: LoweredItem[];
  readonly macros: LoweredItem[];
  readonly rules: LoweredItem[];
  /** Appends, replacements and toggles: emitted after the definitions. */
  readonly extensions: LoweredItem[];
  readonly tests: LoweredTest[];
  readonly listTypes: Map<string, string>;
  /** `...name` list inclusions, checked once every module is loaded. */
  readonly spreads: { readonly name: string; readonly span: Span }[];
  readonly requiredEngine?: string;
  readonly requiredEngineSpan?: Span;
  readonly requiredPlugins: { name: string; version: string }[];
  /** What each policy declares, for the enforcement targets. */
  readonly policies: LoweredPolicy[];
}

const ruleKeys = new Set(['desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'source', 'warn_evttypes', 'skip_if_unknown_filter', 'skip-if-unknown-filter', 'capture', 'capture_duration']);

export function lowerFile(file: SourceFile, ast: FalxFile, diagnostics: Diagnostic[]): LoweredFile {
  const lowering = new Lowering(file, ast, diagnostics);
  for (const declaration of ast.declarations) lowering.declaration(declaration);
  return lowering.result;
}

export class Lowering {
  readonly literals: LiteralReader;
  readonly result: LoweredFile = { lists: [], macros: [], rules: [], extensions: [], tests: [], listTypes: new Map(), spreads: [], requiredPlugins: [], policies: [] };
  private readonly declared = new Map<string, string>();

  constructor(
    readonly file: SourceFile,
    readonly ast: FalxFile,
    readonly diagnostics: Diagnostic[],
  ) {
    this.literals = new LiteralReader(file, diagnostics);
  }

  span(loc: Location) {
    return this.file.span(loc.start.offset, loc.end.offset);
  }

  declaration(d: Declaration): void {
    switch (d.kind) {
      case 'Import':
        return; // resolved by the module loader
      case 'Requires':
        if (d.what === 'engine') Object.assign(this.result, { requiredEngine: d.version.text, requiredEngineSpan: this.span(d.version.loc) });
        else this.result.requiredPlugins.push({ name: d.plugin?.text ?? '', version: d.version.text });
        return;
      case 'List':
        return this.list(d);
      case 'Macro':
        return this.macro(d);
      case 'Rule':
        return this.rule(d);
      case 'ListExtension':
        return this.listExtension(d);
      case 'MacroExtension':
        return this.macroExtension(d);
      case 'RuleExtension':
        return this.ruleExtension(d);
      case 'RuleToggle':
        return this.toggle(d);
      case 'Policy':
        return lowerPolicy(d, this);
      case 'Test':
        return this.test(d);
    }
  }

  private unique(kind: string, name: string, loc: Location): boolean {
    const key = `${kind}:${name}`;
    if (this.declared.has(key)) {
      this.diagnostics.push(diagnostic('FX1019', this.span(loc), { kind, name }));
      return false;
    }
    this.declared.set(key, name);
    return true;
  }

  /** A list's items as Falco text fragments; spreads become the other list's name (Falco nests it). */
  listItems(listName: string, elementType: string, items: readonly ListElement[]): { scalars: Scalar[]; emit: string[]; uses: string[] } {
    const scalars: Scalar[] = [];
    const emit: string[] = [];
    const uses: string[] = [];
    for (const item of items) {
      if (item.kind === 'Spread') {
        uses.push(item.list.text);
        this.result.spreads.push({ name: item.list.text, span: this.span(item.list.loc) });
        scalars.push(this.literals.scalar(item.list.text, item.list.loc));
        emit.push(item.list.text);
        continue;
      }
      const value = this.literals.text(item, 'items');
      if (value === undefined) continue;
      if (isElementType(elementType)) {
        const problem = invalidElement(elementType, value);
        if (problem !== undefined) this.diagnostics.push(diagnostic('FX1017', this.span(item.loc), { value, element: elementType, list: listName }, { hint: `It is ${problem}.` }));
      }
      const token = conditionToken(value);
      scalars.push(this.literals.scalar(token, item.loc));
      emit.push(token);
    }
    return { scalars, emit, uses };
  }

  addList(name: string, nameLoc: Location, elementType: string, elementLoc: Location, items: readonly ListElement[], loc: Location): void {
    if (!this.unique('List', name, nameLoc)) return;
    if (!isElementType(elementType)) {
      this.diagnostics.push(diagnostic('FX1018', this.span(elementLoc), { type: elementType, types: elementTypes.join(', ') }));
    } else {
      this.result.listTypes.set(name, elementType);
    }
    const lowered = this.listItems(name, elementType, items);
    this.result.lists.push({
      name,
      uses: lowered.uses,
      item: { kind: 'list', name, nameSpan: this.span(nameLoc), span: this.span(loc), override: new Map(), append: false, keys: new Set(['list', 'items']), items: lowered.scalars },
      emit: emitMap([['list', name], ['items', lowered.emit]]),
    });
  }

  private list(d: ListDecl): void {
    this.addList(d.name.text, d.name.loc, d.elementType.text, d.elementType.loc, d.items, d.loc);
  }

  /** The condition's text exactly as written, with comments blanked out (Falco has none). */
  conditionScalar(condition: ConditionText): Scalar {
    const { start, end } = condition.loc;
    let text = this.file.text.slice(start.offset, end.offset);
    for (const comment of this.ast.comments) {
      if (comment.loc.start.offset < start.offset || comment.loc.start.offset >= end.offset) continue;
      const from = comment.loc.start.offset - start.offset;
      const to = Math.min(text.length, comment.loc.end.offset - start.offset);
      text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to);
    }
    return { value: text, text: MappedText.exact(text, this.file, start.offset), span: this.span(condition.loc) };
  }

  /** The condition as emitted: canonical Falco text, on one line. */
  conditionEmit(condition: ConditionText): string {
    const printed = printCondition(condition.expr);
    if (condition.joiner === undefined) return printed;
    // Falco joins appended text to the old condition as text: keep the new part one operand.
    const binary = condition.expr.kind === 'And' || condition.expr.kind === 'Or';
    return `${condition.joiner} ${binary ? `(${printed})` : printed}`;
  }

  addMacro(name: string, nameLoc: Location, condition: Scalar, emitted: string, uses: readonly string[], loc: Location): void {
    if (!this.unique('Macro', name, nameLoc)) return;
    this.result.macros.push({
      name,
      uses,
      item: { kind: 'macro', name, nameSpan: this.span(nameLoc), span: this.span(loc), override: new Map(), append: false, keys: new Set(['macro', 'condition']), condition },
      emit: emitMap([['macro', name], ['condition', emitted]]),
    });
  }

  private macro(d: MacroDecl): void {
    this.addMacro(d.name.text, d.name.loc, this.conditionScalar(d.condition), this.conditionEmit(d.condition), namesIn(d.condition), d.loc);
  }

  private rule(d: RuleDecl): void {
    if (!this.unique('Rule', d.name.value, d.name.loc)) return;
    const lowered = this.ruleBody(d.body, `rule "${d.name.value}"`);
    for (const key of ['desc', 'condition', 'output', 'priority']) {
      if (!lowered.keys.has(key)) this.diagnostics.push(diagnostic('FX1014', this.span(d.name.loc), { what: `Rule "${d.name.value}"`, key }));
    }
    this.pushRule(d.name.value, d.name.loc, d.loc, lowered, new Map(), this.result.rules);
  }

  pushRule(name: string, nameLoc: Location, loc: Location, lowered: RuleBody, override: Map<string, OverrideOperation>, into: LoweredItem[]): void {
    const overrideMap = new Map([...override].map(([key, operation]) => [key, { operation, span: this.span(loc) }]));
    const keys = new Set(['rule', ...lowered.keys, ...(override.size > 0 ? ['override'] : [])]);
    const item: RuleItem = { kind: 'rule', name, nameSpan: this.span(nameLoc), span: this.span(loc), override: overrideMap, append: false, keys, ...lowered.item };
    const overrideEmit: EmitValue | undefined = override.size > 0 ? emitMap([...override].map(([key, operation]) => [key, operation])) : undefined;
    into.push({ name, uses: lowered.uses, item, emit: emitMap([['rule', name], ...lowered.emit, ['override', overrideEmit]]) });
  }

  /** Reads a rule body: properties in Falco's key order for the YAML, exceptions last. */
  ruleBody(entries: readonly RuleEntry[], what: string): RuleBody {
    const item: { -readonly [K in keyof RuleItem]?: RuleItem[K] } = {};
    const emit = new Map<string, EmitValue>();
    const keys = new Set<string>();
    const uses: string[] = [];
    const exceptions: ExceptionItem[] = [];
    const exceptionsEmit: EmitValue[] = [];
    for (const entry of entries) {
      if (entry.kind === 'Exception') {
        const lowered = this.exception(entry);
        if (lowered !== undefined) {
          exceptions.push(lowered.item);
          exceptionsEmit.push(lowered.emit);
        }
        continue;
      }
      const key = entry.key.text === 'skip_if_unknown_filter' ? 'skip-if-unknown-filter' : entry.key.text;
      if (!ruleKeys.has(key)) {
        this.diagnostics.push(diagnostic('FX1012', this.span(entry.key.loc), { key: entry.key.text, what }));
        continue;
      }
      if (keys.has(key)) {
        this.diagnostics.push(diagnostic('FX1021', this.span(entry.key.loc), { key: entry.key.text, what }));
        continue;
      }
      keys.add(key);
      this.ruleProperty(key, entry, item, emit, uses);
    }
    if (exceptions.length > 0) {
      keys.add('exceptions');
      item.exceptions = exceptions;
      emit.set('exceptions', exceptionsEmit);
    }
    const order = ['desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'source', 'exceptions', 'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration'];
    return { item, keys, uses, emit: order.filter((k) => emit.has(k)).map((k) => [k, emit.get(k)!] as const) };
  }

  private ruleProperty(key: string, entry: Property, item: { -readonly [K in keyof RuleItem]?: RuleItem[K] }, emit: Map<string, EmitValue>, uses: string[]): void {
    const value = entry.value;
    const literals = this.literals;
    switch (key) {
      case 'condition':
        if (value.kind !== 'Condition') return;
        item.condition = this.conditionScalar(value);
        emit.set(key, this.conditionEmit(value));
        uses.push(...namesIn(value));
        return;
      case 'desc':
      case 'output': {
        const scalar = literals.string(value, key);
        if (scalar === undefined) return;
        item[key] = scalar;
        emit.set(key, scalar.value);
        return;
      }
      case 'priority':
      case 'source': {
        const scalar = literals.word(value, key);
        if (scalar === undefined) return;
        item[key] = scalar;
        emit.set(key, key === 'priority' ? canonicalPriority(scalar.value) : scalar.value);
        return;
      }
      case 'tags': {
        const tags = literals.list(value, key);
        if (tags === undefined) return;
        const scalars = tags.map((tag) => literals.text(tag, key)).flatMap((text, i) => (text === undefined ? [] : [literals.scalar(text, tags[i]!.loc)]));
        item.tags = scalars;
        emit.set(key, [...new Set(scalars.map((s) => s.value))]);
        return;
      }
      case 'enabled': {
        const enabled = literals.bool(value, key);
        if (enabled === undefined) return;
        item.enabled = { value: enabled, span: this.span(value.loc) };
        emit.set(key, enabled);
        return;
      }
      case 'warn_evttypes':
      case 'skip-if-unknown-filter':
      case 'capture': {
        const flag = literals.bool(value, key);
        if (flag === undefined) return;
        if (key === 'warn_evttypes') item.warnEvttypes = flag;
        else if (key === 'capture') item.capture = flag;
        else item.skipIfUnknownFilter = flag;
        emit.set(key, flag);
        return;
      }
      case 'capture_duration': {
        const duration = literals.number(value, key);
        if (duration === undefined) return;
        item.captureDuration = duration;
        emit.set(key, duration);
        return;
      }
    }
  }

  /** `exception name { fields: [...] comps: [...] values: [...] }`, as in Falco YAML. */
  private exception(d: ExceptionDecl): { item: ExceptionItem; emit: EmitValue } | undefined {
    const get = (key: string): Property | undefined => d.body.find((p) => p.key.text === key);
    for (const property of d.body) {
      if (!['fields', 'comps', 'values'].includes(property.key.text)) this.diagnostics.push(diagnostic('FX1012', this.span(property.key.loc), { key: property.key.text, what: `exception "${d.name.text}"` }));
    }
    const item: { -readonly [K in keyof ExceptionItem]?: ExceptionItem[K] } = { name: d.name.text, nameSpan: this.span(d.name.loc), span: this.span(d.loc) };
    const entries: [string, EmitValue | undefined][] = [['name', d.name.text]];
    const fields = get('fields');
    if (fields !== undefined) {
      const lowered = this.scalarOrList(fields, 'fields', (text) => text);
      item.fields = lowered.scalar;
      entries.push(['fields', lowered.emit]);
    }
    const comps = get('comps');
    if (comps !== undefined) {
      const lowered = this.scalarOrList(comps, 'comps', (text) => text);
      item.comps = lowered.scalar;
      entries.push(['comps', lowered.emit]);
    }
    const values = get('values');
    if (values !== undefined) {
      const list = this.literals.list(values.value, 'values');
      if (list !== undefined) {
        item.valuesSpan = this.span(values.value.loc);
        const lowered = list.map((v) => this.exceptionValue(v));
        item.values = lowered.map((v) => v.scalar);
        entries.push(['values', lowered.map((v) => v.emit)]);
      }
    }
    return { item: item as ExceptionItem, emit: emitMap(entries) };
  }

  private scalarOrList(property: Property, key: string, map: (text: string) => string): { scalar: Scalar | Scalar[]; emit: EmitValue } {
    const value = property.value;
    if (value.kind === 'ListValue') {
      const scalars = value.items.flatMap((item) => {
        const text = this.literals.text(item, key);
        return text === undefined ? [] : [this.literals.scalar(map(text), item.loc)];
      });
      return { scalar: scalars, emit: scalars.map((s) => s.value) };
    }
    const text = this.literals.text(value, key) ?? '';
    const scalar = this.literals.scalar(map(text), value.loc);
    return { scalar, emit: scalar.value };
  }

  /** An exception value: a tuple of values (an element may itself be a list), or a single value. */
  private exceptionValue(value: Literal | ListLiteralValue | Spread): { scalar: Scalar | (Scalar | Scalar[])[]; emit: EmitValue } {
    if (value.kind !== 'ListValue') {
      const scalar = this.literals.scalar(conditionToken(this.literals.text(value, 'values') ?? ''), value.loc);
      return { scalar, emit: scalar.value };
    }
    const tuple: (Scalar | Scalar[])[] = [];
    const emit: EmitValue[] = [];
    for (const element of value.items) {
      if (element.kind === 'ListValue') {
        const scalars = element.items.map((i) => this.literals.scalar(conditionToken(this.literals.text(i, 'values') ?? ''), i.loc));
        tuple.push(scalars);
        emit.push(scalars.map((s) => s.value));
      } else {
        const scalar = this.literals.scalar(conditionToken(this.literals.text(element, 'values') ?? ''), element.loc);
        tuple.push(scalar);
        emit.push(scalar.value);
      }
    }
    return { scalar: tuple, emit };
  }

  private listExtension(d: ListExtension): void {
    const elementType = this.result.listTypes.get(d.name.text) ?? 'string';
    const lowered = this.listItems(d.name.text, elementType, d.items);
    this.result.extensions.push({
      name: d.name.text,
      uses: lowered.uses,
      item: { kind: 'list', name: d.name.text, nameSpan: this.span(d.name.loc), span: this.span(d.loc), override: new Map([['items', { operation: d.operation, span: this.span(d.loc) }]]), append: false, keys: new Set(['list', 'items', 'override']), items: lowered.scalars },
      emit: emitMap([['list', d.name.text], ['items', lowered.emit], ['override', emitMap([['items', d.operation]])]]),
    });
  }

  private macroExtension(d: MacroExtension): void {
    const condition = this.conditionScalar(d.condition);
    this.result.extensions.push({
      name: d.name.text,
      uses: namesIn(d.condition),
      item: { kind: 'macro', name: d.name.text, nameSpan: this.span(d.name.loc), span: this.span(d.loc), override: new Map([['condition', { operation: d.operation, span: this.span(d.loc) }]]), append: false, keys: new Set(['macro', 'condition', 'override']), condition },
      emit: emitMap([['macro', d.name.text], ['condition', this.conditionEmit(d.condition)], ['override', emitMap([['condition', d.operation]])]]),
    });
  }

  private ruleExtension(d: RuleExtension): void {
    const lowered = this.ruleBody(d.body, `${d.operation} rule "${d.name.value}"`);
    const override = new Map<string, OverrideOperation>();
    for (const key of lowered.keys) override.set(key, d.operation);
    this.pushRule(d.name.value, d.name.loc, d.loc, lowered, override, this.result.extensions);
  }

  private toggle(d: RuleToggle): void {
    const item: RuleItem = {
      kind: 'rule', name: d.name.value, nameSpan: this.span(d.name.loc), span: this.span(d.loc),
      override: new Map([['enabled', { operation: 'replace', span: this.span(d.loc) }]]), append: false,
      keys: new Set(['rule', 'enabled', 'override']), enabled: { value: d.enabled, span: this.span(d.loc) },
    };
    this.result.extensions.push({ name: d.name.value, uses: [], item, emit: emitMap([['rule', d.name.value], ['enabled', d.enabled], ['override', emitMap([['enabled', 'replace']])]]) });
  }

  private test(d: TestDecl): void {
    for (const testCase of d.cases) {
      const event: Record<string, unknown> = {};
      const fieldSpans: Record<string, Span> = {};
      for (const entry of testCase.event.entries) {
        if (entry.key.text in event) this.diagnostics.push(diagnostic('FX1021', this.span(entry.key.loc), { key: entry.key.text, what: 'a test event' }));
        event[entry.key.text] = eventValue(entry.value);
        fieldSpans[entry.key.text] = this.span(entry.loc);
      }
      this.result.tests.push({ rule: d.rule.value, expect: testCase.expect, event, span: this.span(testCase.loc), fieldSpans, ruleSpan: this.span(d.rule.loc) });
    }
  }
}

export interface RuleBody {
  readonly item: Partial<RuleItem>;
  readonly keys: Set<string>;
  readonly uses: string[];
  readonly emit: (readonly [string, EmitValue])[];
}

/** Falco's rule schema lists priorities in upper case (`INFO` too, as upstream writes it). */
function canonicalPriority(text: string): string {
  return text.toUpperCase();
}

function eventValue(value: Literal | ListLiteralValue): unknown {
  switch (value.kind) {
    case 'String':
      return value.value;
    case 'Word':
      return value.text;
    case 'Number':
      return Number(value.text);
    case 'Constant':
      return value.value;
    case 'ListValue':
      return value.items.map((item) => (item.kind === 'Spread' ? item.list.text : eventValue(item)));
  }
}

/** The macro and list names a condition may use (identifiers and bare list items), for ordering. */
export function namesIn(condition: ConditionText): string[] {
  return namesInExpr(condition.expr);
}

/** The identifiers and bare values of a condition: the macro and list names it may use. */
export function namesInExpr(expr: Expr): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'MacroRef') names.push(String(record['name']));
    if (record['kind'] === 'Value' && record['quoted'] === false) names.push(String(record['text']));
    for (const [key, child] of Object.entries(record)) if (key !== 'loc') walk(child);
  };
  walk(expr);
  return names;
}
