/**
 * Module-level declarations: `import upstream`, `import "./other.falx"`, `requires`, and the ways
 * to extend what another module declared (append/replace lists, macros and rules; enable/disable
 * rules).
 */
import type {
  ElementType, ImportDecl, ListExtension, MacroExtension, RequiresDecl, RuleExtension, RuleToggle,
} from '../language/falx-ast.ts';
import { exprOf, macroRef, type Condition } from './conditions.ts';
import { declare, type FalxDeclaration } from './declaration.ts';
import { conditionText, listElement, ruleEntries, type ListItems, type RuleOptions } from './declarations.ts';
import { isList, listName, listRef, type List } from './list-ref.ts';
import { string, synthetic, word } from './nodes.ts';

/**
 * The name of a macro of the upstream rules (the falco_rules.yaml the user's Falco loads). falx
 * ships no copy of that file, so the name is a plain string: `tsc` does not check it and editors
 * do not complete it. `falx compile|check|test` check it against the user's file (--upstream, the
 * configuration's `upstream:`, or /etc/falco/falco_rules.yaml): a misspelled name is FX2002 there.
 */
export type UpstreamMacro = string;

/** The name of a list of the upstream rules: a plain string, checked when compiled (see UpstreamMacro). */
export type UpstreamList = string;

/** A version, `x.y.z`. */
export type Version = `${number}.${number}.${number}`;

interface Upstream {
  /**
   * `import upstream`: Falco's falco_rules.yaml is loaded first, so its macros and lists can be
   * used (and are checked, against the file the user's Falco loads) without being emitted;
   * `bundle: true` emits the ones used, too.
   */
  (options?: { readonly bundle?: boolean }): FalxDeclaration<ImportDecl>;
  /** An upstream macro, as a condition: `upstream.macro('outbound')` (the name is checked when compiled, not by tsc). */
  macro(name: UpstreamMacro): Condition;
  /**
   * An upstream list, with the element type it is used as (upstream lists are untyped; the
   * default `string` fits string fields): `upstream.list('shell_binaries', 'binary')`.
   */
  list<E extends ElementType = 'string'>(name: UpstreamList, element?: E): List<E>;
}

/**
 * The upstream ruleset (Falco's falco_rules.yaml): import it, and use its macros and lists by name.
 * Names are plain strings, checked when falx compiles the module against the user's file.
 */
export const upstream: Upstream = Object.assign(
  (options: { readonly bundle?: boolean } = {}): FalxDeclaration<ImportDecl> =>
    declare<ImportDecl, object>({ kind: 'Import', target: { upstream: true }, bundle: options.bundle === true, loc: synthetic }, {}),
  {
    macro: (name: UpstreamMacro): Condition => macroRef(name),
    list: <E extends ElementType = 'string'>(name: UpstreamList, element?: E): List<E> => listRef(name, element ?? ('string' as E)),
  },
);

/** `import "./other.falx"`: a `.falx` module whose declarations this one uses (path relative to this file). */
export function importFalx(path: `${string}.falx`): FalxDeclaration<ImportDecl> {
  return declare<ImportDecl, object>({ kind: 'Import', target: { upstream: false, path: string(path) }, bundle: false, loc: synthetic }, {});
}

/** `requires engine x.y.z` / `requires plugin name x.y.z`: declared instead of computed. */
export const requires = {
  /** `requires engine 0.57.0`. */
  engine(version: Version): FalxDeclaration<RequiresDecl> {
    return declare<RequiresDecl, object>({ kind: 'Requires', what: 'engine', version: word(version), loc: synthetic }, {});
  },
  /** `requires plugin container 0.4.0`. */
  plugin(name: string, version: Version): FalxDeclaration<RequiresDecl> {
    return declare<RequiresDecl, object>({ kind: 'Requires', what: 'plugin', plugin: word(name), version: word(version), loc: synthetic }, {});
  },
};

type NameOf = string | List | { readonly rule: string };

function nameOf(target: NameOf | Condition): string {
  if (typeof target === 'string') return target;
  if (isList(target)) return listName(target);
  if ('rule' in target && typeof target.rule === 'string') return target.rule;
  throw new TypeError('falx: not a list, macro or rule');
}

function extend(operation: 'append' | 'replace') {
  return {
    /** `append list name = [items]` / `replace list name = [items]`. */
    list<E extends ElementType>(target: List<E> | UpstreamList, items: ListItems<E>): FalxDeclaration<ListExtension> {
      return declare<ListExtension, object>({ kind: 'ListExtension', operation, name: word(nameOf(target)), items: items.map(listElement), loc: synthetic }, {});
    },
    /**
     * `append rule "Name" { ... }` / `replace rule "Name" { ... }`: only the given properties. An
     * appended condition is joined to the old one with `and` (Falco joins the texts).
     */
    rule(target: string | { readonly rule: string }, options: Partial<RuleOptions>): FalxDeclaration<RuleExtension> {
      const entries = ruleEntries(options);
      const body = operation === 'append' ? entries.map((entry) => (entry.kind === 'Property' && entry.value.kind === 'Condition' ? { ...entry, value: { ...entry.value, joiner: 'and' as const } } : entry)) : entries;
      return declare<RuleExtension, object>({ kind: 'RuleExtension', operation, name: string(nameOf(target)), body, loc: synthetic }, {});
    },
  };
}

/** The macro a condition refers to, when it is a macro. */
function macroName(target: string | Condition): string {
  if (typeof target === 'string') return target;
  const expr = exprOf(target);
  if (expr.kind !== 'MacroRef') throw new TypeError('falx: append.macro and replace.macro take a macro');
  return expr.name;
}

/** Extending declarations: `append.list(...)`, `append.macro(name, 'or', condition)`, `append.rule(...)`. */
export const append = {
  ...extend('append'),
  /** `append macro name or condition`: Falco joins the text to the old condition. */
  macro(target: UpstreamMacro | Condition, joiner: 'and' | 'or', body: Condition): FalxDeclaration<MacroExtension> {
    return declare<MacroExtension, object>({ kind: 'MacroExtension', operation: 'append', name: word(macroName(target)), condition: conditionText(body, joiner), loc: synthetic }, {});
  },
};

/** Replacing declarations: `replace.list(...)`, `replace.macro(name, condition)`, `replace.rule(...)`. */
export const replace = {
  ...extend('replace'),
  /** `replace macro name = condition`. */
  macro(target: UpstreamMacro | Condition, body: Condition): FalxDeclaration<MacroExtension> {
    return declare<MacroExtension, object>({ kind: 'MacroExtension', operation: 'replace', name: word(macroName(target)), condition: conditionText(body), loc: synthetic }, {});
  },
};

function toggle(enabled: boolean, target: string | { readonly rule: string }): FalxDeclaration<RuleToggle> {
  return declare<RuleToggle, object>({ kind: 'RuleToggle', enabled, name: string(nameOf(target)), loc: synthetic }, {});
}

/** `disable rule "Name"`. */
export function disable(target: string | { readonly rule: string }): FalxDeclaration<RuleToggle> {
  return toggle(false, target);
}

/** `enable rule "Name"`. */
export function enable(target: string | { readonly rule: string }): FalxDeclaration<RuleToggle> {
  return toggle(true, target);
}
