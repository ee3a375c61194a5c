import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ConditionSyntaxError } from '../language/parse-condition.ts';
import type { TextOrigin } from './scope.ts';

/** A condition syntax error as a diagnostic, located in the file the condition came from. */
export function syntaxDiagnostic(error: ConditionSyntaxError, origin: TextOrigin): Diagnostic {
  const span = origin.span(error.loc.start.offset, Math.max(error.loc.end.offset, error.loc.start.offset + 1));
  if (error.escape !== undefined) return diagnostic('FX1002', span, { escape: error.escape });
  if (error.message === 'the condition is empty') return diagnostic('FX1005', span);
  return diagnostic('FX1001', span, { detail: `${error.message}.` });
}
