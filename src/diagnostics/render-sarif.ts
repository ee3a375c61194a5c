/**
 * SARIF 2.1.0 for code-scanning tools (GitHub code scanning, Azure DevOps, VS Code's SARIF viewer):
 * one run whose driver lists every code falx reported as a rule (id, name, help text, a link to the
 * code's documentation page), and one result per diagnostic with its physical location.
 */
import { codes, type DiagnosticCode } from './codes.ts';
import type { Diagnostic, Severity } from './diagnostic.ts';
import { documentationPath, documentationUri, readDocumentation } from './documentation.ts';

export interface SarifRenderOptions {
  /** The falx version, for `tool.driver.version`. */
  readonly version: string;
  /** Every file that was checked, so that clean files appear as artifacts too. */
  readonly files: readonly string[];
}

const levels: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function renderSarif(diagnostics: readonly Diagnostic[], options: SarifRenderOptions): string {
  const used = [...new Set(diagnostics.map((d) => d.code))].sort();
  const ruleIndex = new Map(used.map((code, index) => [code, index]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'falx',
            version: options.version,
            rules: used.map(ruleDescriptor),
          },
        },
        artifacts: options.files.map((file) => ({ location: { uri: fileUri(file) } })),
        results: diagnostics.map((d) => result(d, ruleIndex.get(d.code)!)),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(code: DiagnosticCode): Record<string, unknown> {
  const spec = codes[code];
  const falco = 'falco' in spec ? ` Falco reports it as ${spec.falco}.` : '';
  const text = `${spec.id}: ${spec.text.replace(/\{(\w+)\}/g, '<$1>')}${falco}`;
  const page = readDocumentation(code);
  const more = `See ${documentationPath(code)} or run "falx explain ${code}".`;
  return {
    id: code,
    name: spec.id,
    shortDescription: { text: spec.id },
    fullDescription: { text },
    // SARIF wants an absolute URI here: the page of this installation; the relative path is in properties.
    helpUri: documentationUri(code),
    help: page === undefined ? { text: `${text} ${more}` } : { text: `${page.trim()}\n\n${more}`, markdown: page },
    defaultConfiguration: { level: levels[spec.severity] },
    properties: { documentation: documentationPath(code), ...('falco' in spec ? { falcoCode: spec.falco } : {}) },
  };
}

function result(d: Diagnostic, ruleIndex: number): Record<string, unknown> {
  const message = d.hint === undefined ? d.message : `${d.message} Hint: ${d.hint}`;
  const location = d.span === undefined
    ? []
    : [
        {
          physicalLocation: {
            artifactLocation: { uri: fileUri(d.span.file) },
            region: {
              startLine: d.span.start.line,
              startColumn: d.span.start.column,
              endLine: d.span.end.line,
              // SARIF's endColumn is exclusive, like falx's; an empty span still needs a column.
              endColumn: Math.max(d.span.end.column, d.span.end.line === d.span.start.line ? d.span.start.column + 1 : 1),
            },
          },
        },
      ];
  const related = (d.notes ?? [])
    .filter((note) => note.span !== undefined)
    .map((note, id) => ({
      id,
      message: { text: note.message },
      physicalLocation: { artifactLocation: { uri: fileUri(note.span!.file) }, region: { startLine: note.span!.start.line, startColumn: note.span!.start.column } },
    }));
  return {
    ruleId: d.code,
    ruleIndex,
    level: levels[d.severity],
    message: { text: message },
    locations: location,
    ...(related.length > 0 ? { relatedLocations: related } : {}),
  };
}

/** A relative path as a URI reference (forward slashes, percent-encoded), as code scanning expects. */
function fileUri(path: string): string {
  return path.split(/[\\/]/).map((part) => encodeURIComponent(part)).join('/').replace(/^([A-Za-z])%3A/, '/$1:');
}
