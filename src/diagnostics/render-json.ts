/**
 * The machine-readable report other tools read:
 * `{"diagnostics":[{code,severity,message,file,line,column,endLine,endColumn,...,notes?}],"summary":{files,errors,warnings,needs?}}`.
 * Lines and columns are 1-based; `endColumn` is exclusive.
 */
import { codes } from './codes.ts';
import type { Diagnostic } from './diagnostic.ts';

export interface JsonDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
  readonly id: string;
  readonly falcoCode?: string;
  readonly hint?: string;
  readonly notes?: readonly { readonly message: string; readonly file: string | null; readonly line: number | null; readonly column: number | null }[];
}

export function toJsonDiagnostic(d: Diagnostic): JsonDiagnostic {
  const spec = codes[d.code];
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.span?.file ?? null,
    line: d.span?.start.line ?? null,
    column: d.span?.start.column ?? null,
    endLine: d.span?.end.line ?? null,
    endColumn: d.span?.end.column ?? null,
    id: spec.id,
    ...('falco' in spec ? { falcoCode: spec.falco } : {}),
    ...(d.hint === undefined ? {} : { hint: d.hint }),
    ...(d.notes === undefined ? {} : { notes: d.notes.map((note) => ({ message: note.message, file: note.span?.file ?? null, line: note.span?.start.line ?? null, column: note.span?.start.column ?? null })) }),
  };
}

export interface Summary {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
}

export function summarize(diagnostics: readonly Diagnostic[], files: number): Summary {
  return {
    files,
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
}

/** The newest language feature the rules use: the Falco release and engine version they need. */
export interface JsonNeeds {
  readonly engineVersion: string;
  readonly falco: string;
  readonly feature: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
}

export function renderJson(diagnostics: readonly Diagnostic[], files: number, needs?: JsonNeeds): string {
  const summary = { ...summarize(diagnostics, files), ...(needs === undefined ? {} : { needs }) };
  return `${JSON.stringify({ diagnostics: diagnostics.map(toJsonDiagnostic), summary }, null, 2)}\n`;
}
