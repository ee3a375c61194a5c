/**
 * What the language server knows of one document: the diagnostics `falx check` gives for it
 * (suppression comments applied) and the checked ruleset it belongs to, for hover and completion.
 * `.falx` files are compiled with their imports (open documents first, then the disk) and the
 * upstream rules; Falco YAML that holds rules is checked after the upstream rules, as Falco loads it.
 * The configuration's levels (`diagnostics:`) and `falco-version` apply as in `falx check`.
 */
import { readFileSync } from 'node:fs';
import type { Catalog } from '../check/catalog/catalog.ts';
import { checkRulesFiles, type CheckedRuleset } from '../check/check-rules-files.ts';
import { checkTarget } from '../check/check-target.ts';
import { compileProgram } from '../compile/compile-program.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { applySeverityOverrides, type Level } from '../diagnostics/severity-overrides.ts';
import { applySuppressions } from '../diagnostics/suppressions.ts';
import { SourceFile } from '../loader/source-file.ts';

export interface Analysis {
  readonly diagnostics: readonly Diagnostic[];
  /** The ruleset as checked, with the upstream rules when they were loaded. */
  readonly checked?: CheckedRuleset;
}

export interface AnalysisContext {
  readonly catalog: Catalog;
  /** Falco's rules file, by absolute path, loaded before the document (undefined when there is none). */
  readonly upstream?: SourceFile;
  /** The configuration's level per code (`diagnostics:` in .falx.yaml). */
  readonly levels?: ReadonlyMap<DiagnosticCode, Level>;
  /** The configuration's `falco-version`: what that release would refuse is reported too. */
  readonly falcoVersion?: string;
  /** The text of an open document by absolute path, for imports. */
  readonly openText: (path: string) => string | undefined;
}

/** Whether a YAML text holds Falco rules: a top-level sequence with rule, macro, list or requirement items. */
export function holdsRules(text: string): boolean {
  return /^- (rule|macro|list|required_engine_version|required_plugin_versions)\s*:/m.test(text);
}

export function analyze(path: string, text: string, context: AnalysisContext): Analysis {
  const file = new SourceFile(path, text);
  let found: readonly Diagnostic[];
  let checked: CheckedRuleset | undefined;
  if (path.endsWith('.falx')) {
    const readFile = (p: string): string | undefined => context.openText(p) ?? readOrUndefined(p);
    const program = compileProgram([file], { catalog: context.catalog, readFile, ...(context.upstream ? { upstream: context.upstream } : {}) });
    found = program.diagnostics;
    checked = program.checked;
  } else if (holdsRules(text)) {
    // The upstream file itself (or a copy of it) is checked alone: loaded twice, each of its
    // macros and lists would be "defined again".
    const isUpstream = context.upstream !== undefined && (context.upstream.path === path || context.upstream.text === text);
    const result = checkRulesFiles(context.upstream === undefined || isUpstream ? [file] : [context.upstream, file], context.catalog);
    found = result.diagnostics;
    checked = result;
  } else {
    return { diagnostics: [] };
  }
  if (checked !== undefined && context.falcoVersion !== undefined) found = [...found, ...checkTarget(checked, context.falcoVersion)];
  const own = found.filter((d) => d.span === undefined || d.span.file === path);
  const suppressed = applySuppressions(path, text, own);
  const diagnostics = applySeverityOverrides([...suppressed.kept, ...suppressed.problems], context.levels ?? new Map());
  return { diagnostics, ...(checked === undefined ? {} : { checked }) };
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
