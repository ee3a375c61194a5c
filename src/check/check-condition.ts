/**
 * Checks one condition on its own (`falx eval`, router match conditions): parse, then type-check.
 * Macro references are errors here unless the caller supplies the macros.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Expr } from '../language/ast.ts';
import { MappedText } from '../loader/mapped-text.ts';
import { SourceFile } from '../loader/source-file.ts';
import type { Catalog } from './catalog/catalog.ts';
import { checkExpression } from './check-expression.ts';
import { parseTargetCondition } from './parse-target-condition.ts';
import { syntaxDiagnostic } from './syntax-diagnostic.ts';
import { undefinedMacro } from './undefined-macro.ts';
import { CheckScope, type ListValue, type TextOrigin } from './scope.ts';

export interface CheckConditionOptions {
  readonly catalog: Catalog;
  /** The name to show in diagnostics (default `<condition>`). */
  readonly file?: string;
  /** Macro names that may be referenced. */
  readonly macros?: ReadonlySet<string>;
  readonly lists?: ReadonlyMap<string, readonly ListValue[]>;
  /** Parse alert keys (`rule`, `priority`, ...) as fields: router match conditions. */
  readonly alertFields?: boolean;
  /** Where the condition text sits in its file (default: a file holding only the condition). */
  readonly origin?: TextOrigin;
}

export interface CheckConditionResult {
  readonly expr?: Expr;
  readonly diagnostics: Diagnostic[];
}

export function checkConditionText(text: string, options: CheckConditionOptions): CheckConditionResult {
  // The text is the whole "file" here, not a YAML scalar: a leading quote is part of the condition,
  // so its characters map one to one (decoding it as a quoted scalar threw on `"\x`).
  const origin = options.origin ?? MappedText.exact(text, new SourceFile(options.file ?? '<condition>', text), 0);
  const diagnostics: Diagnostic[] = [];
  const parsed = parseTargetCondition(text, options.catalog, options.alertFields === true);
  if (!parsed.ok) {
    diagnostics.push(syntaxDiagnostic(parsed.error, origin));
    return { diagnostics };
  }
  const scope = new CheckScope(options.catalog, options.lists ?? new Map(), origin, diagnostics);
  const facts = checkExpression(parsed.expr, scope);
  for (const reference of facts.macroReferences) {
    if (options.macros?.has(reference.name) !== true) {
      diagnostics.push(undefinedMacro(scope.spanOf(reference.loc), reference.name));
    }
  }
  // In the order Falco's compiler meets them, which is text order: the first is the one it reports.
  diagnostics.sort((a, b) => (a.span?.start.offset ?? 0) - (b.span?.start.offset ?? 0));
  return { expr: parsed.expr, diagnostics };
}
