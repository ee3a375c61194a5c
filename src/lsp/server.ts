/**
 * `falx lsp --stdio`: the language server. Documents are `.falx` files and Falco rules YAML;
 * each change is analysed as `falx check` would (analysis.ts) and its diagnostics published at
 * once. Navigation (definition, references, rename) spans the open documents, the rules files
 * of their folders and the upstream rules (navigation.ts).
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind, CompletionItemKind, DiagnosticSeverity, TextDocuments, TextDocumentSyncKind,
  type CodeAction, type CompletionItem, type Connection, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation, type TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Catalog } from '../check/catalog/catalog.ts';
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { documentationUri } from '../diagnostics/documentation.ts';
import { parseFalx } from '../language/parse-falx.ts';
import { printFalx } from '../language/print-falx.ts';
import type { Level } from '../diagnostics/severity-overrides.ts';
import { SourceFile } from '../loader/source-file.ts';
import { analyze, type Analysis } from './analysis.ts';
import { completions, type CompletionKind } from './completion.ts';
import { diagnosticHover, hoverText } from './hover.ts';
import { registerNavigation } from './navigation.ts';
import { wordAt } from './symbols.ts';

export interface ServerOptions {
  /** Falco's rules file, by absolute path. */
  readonly upstream?: SourceFile;
  readonly containerPlugin?: boolean;
  readonly levels?: ReadonlyMap<DiagnosticCode, Level>;
  readonly falcoVersion?: string;
}

/** How long typing must pause before the other open documents are checked again. */
const dependentsDelayMs = 150;

const completionKinds: Record<CompletionKind, CompletionItemKind> = {
  field: CompletionItemKind.Field, operator: CompletionItemKind.Operator, keyword: CompletionItemKind.Keyword,
  macro: CompletionItemKind.Function, list: CompletionItemKind.Enum, value: CompletionItemKind.Value, property: CompletionItemKind.Property,
};

export function startServer(connection: Connection, options: ServerOptions): void {
  // The release's language (escapes, depth) as well as its engine: the one `falx check` would use.
  const catalog = new Catalog(undefined, { containerPlugin: options.containerPlugin ?? true, ...(options.falcoVersion !== undefined ? { falcoVersion: options.falcoVersion } : {}) });
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, Analysis>();
  const pathOf = (uri: string): string => fileURLToPath(uri);
  const openText = (path: string): string | undefined => documents.get(pathToFileURL(path).href)?.getText();

  /** The upstream rules as the editor holds them when open, else as read at start. */
  const currentUpstream = (): SourceFile | undefined => {
    if (options.upstream === undefined) return undefined;
    const open = openText(options.upstream.path);
    return open === undefined || open === options.upstream.text ? options.upstream : new SourceFile(options.upstream.path, open);
  };
  const refresh = (document: TextDocument): void => {
    const path = pathOf(document.uri);
    const upstream = currentUpstream();
    const context = { catalog, openText, ...(upstream ? { upstream } : {}), ...(options.levels ? { levels: options.levels } : {}), ...(options.falcoVersion ? { falcoVersion: options.falcoVersion } : {}) };
    const analysis = analyze(path, document.getText(), context);
    analyses.set(document.uri, analysis);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: analysis.diagnostics.map((d) => toLsp(d, document)) });
  };
  // A change can break or fix the documents that import the changed one (or load it as upstream):
  // they are checked again once typing pauses, so the changed document's own diagnostics come first.
  let dependentsTimer: NodeJS.Timeout | undefined;
  const refreshOthersLater = (changed: string): void => {
    clearTimeout(dependentsTimer);
    dependentsTimer = setTimeout(() => documents.all().filter((d) => d.uri !== changed).forEach(refresh), dependentsDelayMs);
  };

  connection.onInitialize(() => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['.', ' ', ':'] },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: true,
      documentFormattingProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'falx' },
  }));
  // Opening a file changes nothing for the others (they read it from disk): only edits recheck them.
  const opening = new Set<string>();
  documents.onDidOpen((event) => opening.add(event.document.uri));
  documents.onDidChangeContent((event) => {
    refresh(event.document);
    const opened = opening.delete(event.document.uri);
    if (!opened && documents.all().length > 1) refreshOthersLater(event.document.uri);
  });
  documents.onDidClose((event) => {
    if (event.document.version > 1) refreshOthersLater(event.document.uri);
    analyses.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onHover(({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    if (document === undefined) return null;
    const offset = document.offsetAt(position);
    const analysis = analyses.get(textDocument.uri);
    const word = wordAt(document.getText(), offset);
    const text = (word === undefined ? undefined : hoverText(word.word, analysis?.checked, catalog)) ?? diagnosticHover(analysis?.diagnostics ?? [], offset);
    return text === undefined ? null : { contents: { kind: 'markdown', value: text } };
  });

  connection.onCompletion(({ textDocument, position }): CompletionItem[] => {
    const document = documents.get(textDocument.uri);
    if (document === undefined) return [];
    const linePrefix = document.getText({ start: { line: position.line, character: 0 }, end: position });
    return completions(linePrefix, textDocument.uri.endsWith('.falx'), analyses.get(textDocument.uri)?.checked, catalog)
      .map((c) => ({ label: c.label, kind: completionKinds[c.kind], ...(c.detail === undefined ? {} : { detail: c.detail }) }));
  });

  registerNavigation(connection, documents, options.upstream?.path);

  connection.onDocumentFormatting(({ textDocument }): TextEdit[] => {
    const document = documents.get(textDocument.uri);
    if (document === undefined || !textDocument.uri.endsWith('.falx')) return [];
    const parsed = parseFalx(document.getText());
    if (!parsed.ok) return [];
    const formatted = printFalx(parsed.file);
    if (formatted === document.getText()) return [];
    return [{ range: { start: { line: 0, character: 0 }, end: document.positionAt(document.getText().length) }, newText: formatted }];
  });

  connection.onCodeAction(({ textDocument, context }): CodeAction[] => context.diagnostics.flatMap((d) => {
    const suggestion = /Did you mean "([^"]+)"/.exec(String((d.data as { hint?: string } | undefined)?.hint ?? ''))?.[1];
    if (suggestion === undefined) return [];
    return [{ title: `Change to "${suggestion}"`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [textDocument.uri]: [{ range: d.range, newText: suggestion }] } } }];
  }));

  documents.listen(connection);
  connection.listen();
}

function toLsp(d: Diagnostic, document: TextDocument): LspDiagnostic {
  const start = d.span === undefined ? { line: 0, character: 0 } : document.positionAt(d.span.start.offset);
  const end = d.span === undefined ? start : document.positionAt(Math.max(d.span.end.offset, d.span.start.offset + 1));
  const severity = d.severity === 'error' ? DiagnosticSeverity.Error : d.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
  return {
    range: { start, end }, severity, code: d.code, source: 'falx',
    message: d.hint === undefined ? d.message : `${d.message}\n${d.hint}`,
    codeDescription: { href: documentationUri(d.code) },
    data: { hint: d.hint },
    ...(d.notes === undefined ? {} : { relatedInformation: d.notes.flatMap((note) => (note.span === undefined ? [] : [relatedLocation(note.message, note.span)])) }),
  };
}

/** A note ("first defined here") as a location, converted from the line and column falx counts from 1. */
function relatedLocation(message: string, span: Span): DiagnosticRelatedInformation {
  const at = (p: Span['start']): { line: number; character: number } => ({ line: p.line - 1, character: p.column - 1 });
  return { message, location: { uri: pathToFileURL(resolve(span.file)).href, range: { start: at(span.start), end: at(span.end) } } };
}
