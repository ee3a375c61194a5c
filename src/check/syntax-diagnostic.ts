import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ConditionSyntaxError } from '../language/parse-condition.ts';
import type { TextOrigin } from './scope.ts';

/** A condition syntax error as a diagnostic, located in the file the condition came from. */
export function syntaxDiagnostic(error: ConditionSyntaxError, origin: TextOrigin): Diagnostic {
  const span = origin.span(error.loc.start.offset, Math.max(error.loc.end.offset, error.loc.start.offset + 1));
  if (error.escape !== undefined) {
    const escapeSpan = error.escapeLoc === undefined ? undefined : origin.span(error.escapeLoc.start.offset, error.escapeLoc.end.offset);
    return diagnostic('FX1002', span, { escape: error.escape }, { notes: escapeSpan === undefined ? undefined : [{ message: `the escape sequence "${error.escape}"`, span: escapeSpan }] });
  }
  if (error.message === 'the condition is empty') return diagnostic('FX1005', span);
  return diagnostic('FX1001', span, { detail: `${error.message}.` }, { hint: error.hint });
}

/** A `.falx` file's syntax error: a condition's as Falco's (FX1001, FX1002, FX1005), anything else FX1015. */
export function falxSyntaxDiagnostic(error: ConditionSyntaxError, inCondition: boolean, origin: TextOrigin): Diagnostic {
  if (inCondition) return syntaxDiagnostic(error, origin);
  const span = origin.span(error.loc.start.offset, Math.max(error.loc.end.offset, error.loc.start.offset + 1));
  return diagnostic('FX1015', span, { detail: `${error.message}.` });
}
