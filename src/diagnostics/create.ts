import { codes, type DiagnosticCode } from './codes.ts';
import type { Diagnostic, Note, Span } from './diagnostic.ts';

export type MessageArgs = Readonly<Record<string, string | number>>;

export interface DiagnosticExtras {
  readonly hint?: string | undefined;
  readonly notes?: readonly Note[] | undefined;
}

/** Builds a diagnostic from the table: the code decides severity and message text. */
export function diagnostic(
  code: DiagnosticCode,
  span: Span | undefined,
  args: MessageArgs = {},
  extras: DiagnosticExtras = {},
): Diagnostic {
  const spec = codes[code];
  const message = spec.text.replace(/\{(\w+)\}/g, (hole, name: string) => {
    const value = args[name];
    return value === undefined ? hole : String(value);
  });
  return {
    code,
    severity: spec.severity,
    message,
    ...(span ? { span } : {}),
    ...(extras.hint ? { hint: extras.hint } : {}),
    ...(extras.notes && extras.notes.length > 0 ? { notes: extras.notes } : {}),
  };
}
