/**
 * Which error `falco -V` reports. falx reports every error at once; Falco's loader stops at the
 * first one it meets, so CI users need to know which of falx's errors that is. Falco meets them in
 * this order (falco_engine::load_rules, rule_loader::reader, rule_loader::compiler):
 *  - file after file, in load order; for each file, first reading it, then compiling everything
 *    loaded so far;
 *  - reading: the YAML, then each item in document order (its structure, priority, exceptions,
 *    appends and overrides without a base, required_engine_version);
 *  - compiling: every macro's condition is parsed (macros in definition order), then every macro's
 *    macro references resolved; then each rule in definition order: its exceptions, its output,
 *    then its condition (parsed, macros resolved, compiled with the macros it uses inlined).
 * Plugins a file requires but Falco does not load (FX1031) are refused by the falco program after
 * loading, with no LOAD_* code.
 */
import { falcoCodeOf } from '../diagnostics/codes.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { Ruleset } from '../loader/ruleset.ts';

/** Errors found while reading an item, whatever their LOAD_* code (the YAML's are all read errors). */
const readCodes = new Set<string>(['FX1009', 'FX1030', 'FX2007', 'FX1029', 'FX3012', 'FX3101']);
/** What Falco finds when it parses a macro, before any rule is compiled. */
const macroParseCodes = new Set<string>(['FX1001', 'FX1002', 'FX1005', 'FX1007', 'FX2013']);
/** What it finds resolving macro references, once every macro is parsed. */
const macroResolveCodes = new Set<string>(['FX2002', 'FX2003', 'FX2005']);

interface Owner {
  readonly kind: 'macro' | 'rule';
  readonly index: number;
  readonly span: Span;
}

/**
 * The error Falco reports for `files` (paths, in load order) checked into `ruleset`, out of
 * `diagnostics`; undefined when there is no error Falco reports.
 */
export function falcoFirstError(files: readonly string[], ruleset: Ruleset, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  const owners: Owner[] = [
    ...[...ruleset.macros.values()].flatMap((macro) => macro.definitions.map((item) => ({ kind: 'macro' as const, index: macro.index, span: item.span }))),
    ...[...ruleset.rules.values()].flatMap((rule) => rule.definitions.map((item) => ({ kind: 'rule' as const, index: rule.index, span: item.span }))),
  ];
  const ownerOf = (span: Span): Owner | undefined => owners.find((owner) => owner.span.file === span.file && owner.span.start.offset <= span.start.offset && span.start.offset < owner.span.end.offset);
  const fileIndex = (span: Span | undefined): number => {
    const index = span === undefined ? -1 : files.indexOf(span.file);
    return index === -1 ? files.length : index;
  };

  /** [file, phase, item, step, offset]: compared element by element. */
  const key = (d: Diagnostic): number[] => {
    const offset = d.span?.start.offset ?? 0;
    const falco = falcoCodeOf(d.code);
    const file = fileIndex(d.span);
    if (readCodes.has(d.code) || falco === 'LOAD_ERR_YAML_PARSE' || falco === 'LOAD_ERR_YAML_VALIDATE' || d.span === undefined) return [file, 0, 0, 0, offset];
    const owner = ownerOf(d.span);
    if (owner === undefined) return [file, 0, 0, 0, offset];
    const ownerFile = fileIndex(owner.span);
    if (owner.kind === 'macro' && macroParseCodes.has(d.code)) return [ownerFile, 1, owner.index, 0, offset];
    if (owner.kind === 'macro' && macroResolveCodes.has(d.code)) return [ownerFile, 2, owner.index, 0, offset];
    // A macro's compile errors surface with the first rule that uses it, usually the next ones.
    if (owner.kind === 'macro') return [ownerFile, 3, owner.index, 2, offset];
    const step = d.code === 'FX1032' ? 0 : falco === 'LOAD_ERR_COMPILE_OUTPUT' ? 1 : 2;
    return [ownerFile, 3, owner.index, step, offset];
  };

  let first: { diagnostic: Diagnostic; key: number[] } | undefined;
  for (const d of diagnostics) {
    // falx's own limits are no error of Falco's; a crash (FX1032) ends the load as surely as one.
    if (d.severity !== 'error' || (falcoCodeOf(d.code) === undefined && d.code !== 'FX1032')) continue;
    const candidate = { diagnostic: d, key: key(d) };
    if (first === undefined || compareKeys(candidate.key, first.key) < 0) first = candidate;
  }
  return first?.diagnostic;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const difference = a[i]! - b[i]!;
    if (difference !== 0) return difference;
  }
  return 0;
}
