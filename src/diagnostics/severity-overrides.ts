/**
 * Per-code severities from a configuration file (`diagnostics: { LOAD_UNUSED_LIST: off, FX4002: error }`):
 * each diagnostic of a configured code takes the configured severity, or is dropped for `off`.
 */
import type { DiagnosticCode } from './codes.ts';
import type { Diagnostic, Severity } from './diagnostic.ts';

/** A configured level: a severity, or `off` to drop the code's diagnostics. */
export type Level = Severity | 'off';

export const levels: readonly Level[] = ['error', 'warning', 'info', 'off'];

export function applySeverityOverrides(diagnostics: readonly Diagnostic[], overrides: ReadonlyMap<DiagnosticCode, Level>): Diagnostic[] {
  if (overrides.size === 0) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const level = overrides.get(d.code);
    if (level === undefined) out.push(d);
    else if (level !== 'off') out.push(level === d.severity ? d : { ...d, severity: level });
  }
  return out;
}
