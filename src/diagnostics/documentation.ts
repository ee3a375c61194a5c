/**
 * Where the documentation page of each diagnostic code lives: `docs/diagnostics/<CODE>.md`, one
 * page per code (ESLint's one page per rule), linked from SARIF and printed by `falx explain`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DiagnosticCode } from './codes.ts';

/** The page's path relative to the project root, as SARIF `helpUri` and text output show it. */
export function documentationPath(code: DiagnosticCode | string): string {
  return `docs/diagnostics/${code}.md`;
}

/** The absolute folder of the pages in this installation (beside `src/`). */
export function documentationFolder(): string {
  return fileURLToPath(new URL('../../docs/diagnostics/', import.meta.url));
}

/** The page's absolute `file:` URI in this installation (SARIF's `helpUri` must be absolute). */
export function documentationUri(code: DiagnosticCode | string): string {
  return pathToFileURL(join(documentationFolder(), `${code}.md`)).href;
}

/** The page of `code`, or undefined when it has none (a test keeps every code's page in place). */
export function readDocumentation(code: string): string | undefined {
  try {
    return readFileSync(join(documentationFolder(), `${code}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
