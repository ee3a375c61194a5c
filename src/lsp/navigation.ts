/**
 * Go to definition, find references and rename, across the files the server knows: the open
 * documents, the rules files of their folders and the upstream rules file. Macros and lists are
 * found by name as whole words; rules by the quoted names of their declarations, extensions,
 * toggles and tests (symbols.ts). Rename is for macros and lists the user owns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LSPErrorCodes, ResponseError, type Connection, type Location, type Position, type TextDocuments, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { definitionsIn, occurrencesIn, ruleMentionsIn, wordAt, type TextRange } from './symbols.ts';

interface Symbol {
  readonly kind: 'name' | 'rule';
  readonly name: string;
  /** Every known file's text, by absolute path. */
  readonly texts: ReadonlyMap<string, string>;
}

export function registerNavigation(connection: Connection, documents: TextDocuments<TextDocument>, upstreamPath: string | undefined): void {
  const openText = (path: string): string | undefined => documents.get(pathToFileURL(path).href)?.getText();

  const knownTexts = (): Map<string, string> => {
    const texts = new Map<string, string>();
    const add = (path: string): void => {
      if (!texts.has(path)) texts.set(path, openText(path) ?? readOrUndefined(path) ?? '');
    };
    for (const document of documents.all()) {
      const folder = dirname(fileURLToPath(document.uri));
      for (const name of readFolder(folder).filter((n) => ['.falx', '.yaml', '.yml'].includes(extname(n)))) add(join(folder, name));
      add(fileURLToPath(document.uri));
    }
    if (upstreamPath !== undefined) add(upstreamPath);
    return texts;
  };

  /** The rule, macro or list named under the cursor, when the known files define it. */
  const symbolAt = (uri: string, position: Position): Symbol | undefined => {
    const document = documents.get(uri);
    if (document === undefined) return undefined;
    const offset = document.offsetAt(position);
    const texts = knownTexts();
    const rule = ruleMentionsIn(fileURLToPath(uri), document.getText()).find((m) => m.start <= offset && offset <= m.end);
    if (rule !== undefined) return { kind: 'rule', name: rule.name, texts };
    const word = wordAt(document.getText(), offset);
    if (word === undefined) return undefined;
    const defined = [...texts].some(([path, text]) => definitionsIn(path, text).some((d) => d.kind !== 'rule' && d.name === word.word));
    return defined ? { kind: 'name', name: word.word, texts } : undefined;
  };

  const definitionsOf = (symbol: Symbol): TextRange[] => [...symbol.texts].flatMap<TextRange>(([path, text]) => (symbol.kind === 'rule'
    ? ruleMentionsIn(path, text).filter((m) => m.declares && m.name === symbol.name)
    : definitionsIn(path, text).filter((d) => d.kind !== 'rule' && d.name === symbol.name)));
  const referencesOf = (symbol: Symbol): TextRange[] => [...symbol.texts].flatMap<TextRange>(([path, text]) => (symbol.kind === 'rule'
    ? ruleMentionsIn(path, text).filter((m) => m.name === symbol.name)
    : occurrencesIn(path, text, symbol.name)));
  const toLocation = (range: TextRange, texts: ReadonlyMap<string, string>): Location => {
    const document = TextDocument.create('', '', 0, texts.get(range.path) ?? '');
    return { uri: pathToFileURL(range.path).href, range: { start: document.positionAt(range.start), end: document.positionAt(range.end) } };
  };

  connection.onDefinition(({ textDocument, position }) => {
    const symbol = symbolAt(textDocument.uri, position);
    return symbol === undefined ? null : definitionsOf(symbol).map((d) => toLocation(d, symbol.texts));
  });

  connection.onReferences(({ textDocument, position }) => {
    const symbol = symbolAt(textDocument.uri, position);
    return symbol === undefined ? null : referencesOf(symbol).map((r) => toLocation(r, symbol.texts));
  });

  connection.onRenameRequest(({ textDocument, position, newName }): WorkspaceEdit | ResponseError | null => {
    const symbol = symbolAt(textDocument.uri, position);
    if (symbol === undefined) return null;
    const refuse = (message: string): ResponseError => new ResponseError(LSPErrorCodes.RequestFailed, message);
    if (symbol.kind === 'rule') return refuse('falx renames macros and lists, not rules');
    if (!/^[A-Za-z_][\w]*$/.test(newName)) return refuse(`"${newName}" is not a macro or list name (letters, digits and _, not starting with a digit)`);
    if (upstreamPath !== undefined && definitionsOf(symbol).some((d) => d.path === upstreamPath)) {
      return refuse(`"${symbol.name}" is defined in the upstream rules (${upstreamPath}), which falx does not edit`);
    }
    const changes: Record<string, TextEdit[]> = {};
    for (const range of referencesOf(symbol)) {
      const uri = pathToFileURL(range.path).href;
      changes[uri] = [...(changes[uri] ?? []), { range: toLocation(range, symbol.texts).range, newText: newName }];
    }
    return { changes };
  });
}

function readFolder(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
