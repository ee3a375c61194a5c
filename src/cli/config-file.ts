/**
 * The project configuration: `.falx.yaml` or `falx.config.yaml`, found in the working folder or
 * the nearest folder above it, or named with `--config`. `falx check` reads all of it; the other
 * commands that compile `.falx` files read `upstream`.
 *
 *   diagnostics:            # per-code level: error, warning, info or off
 *     LOAD_UNUSED_LIST: off
 *     FX4002: error
 *   falco-version: 0.44,0.45   # the default --falco-version
 *   max-warnings: 0         # the default --max-warnings
 *   upstream: falco/falco_rules.yaml   # the default --upstream, relative to this file's folder
 *
 * Mistakes are reported as located diagnostics (FX61xx), like mistakes in rules files.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import { codes, type DiagnosticCode } from '../diagnostics/codes.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { levels, type Level } from '../diagnostics/severity-overrides.ts';
import { isFalcoError } from '../diagnostics/suppressions.ts';
import { SourceFile } from '../loader/source-file.ts';
import { InputTooLargeError, readFileBoundedSync, tooLarge } from './read-input.ts';

/** The names searched for, in this order, in each folder from the working folder upward. */
export const configFileNames = ['.falx.yaml', 'falx.config.yaml'] as const;

export interface CheckConfig {
  /** The file the configuration came from (undefined: none found). */
  readonly path: string | undefined;
  /** Its text, for code frames. */
  readonly text: string | undefined;
  readonly levels: ReadonlyMap<DiagnosticCode, Level>;
  readonly falcoVersion: string | undefined;
  readonly maxWarnings: number | undefined;
  /** Falco's rules file for `import upstream` (the default of --upstream). */
  readonly upstream: ConfiguredUpstream | undefined;
  readonly diagnostics: Diagnostic[];
}

export interface ConfiguredUpstream {
  /** Absolute: the value is relative to the configuration file's folder. */
  readonly path: string;
  /** The value as written, and where, for an error when the file cannot be read. */
  readonly written: string;
  readonly span: Span;
}

const emptyConfig: CheckConfig = { path: undefined, text: undefined, levels: new Map(), falcoVersion: undefined, maxWarnings: undefined, upstream: undefined, diagnostics: [] };

/** The nearest configuration file from `cwd` upward, or undefined. */
export function findConfigFile(cwd: string): string | undefined {
  let folder = resolve(cwd);
  for (;;) {
    for (const name of configFileNames) {
      const candidate = join(folder, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/** Reads the configuration named by `--config` (must exist) or found from `cwd` upward (optional). */
export function loadCheckConfig(cwd: string, explicit: string | undefined): CheckConfig {
  const path = explicit === undefined ? findConfigFile(cwd) : resolve(cwd, explicit);
  if (path === undefined) return emptyConfig;
  const shown = explicit ?? path;
  let text: string;
  try {
    text = readFileBoundedSync(path);
  } catch (error) {
    if (error instanceof InputTooLargeError) return { ...emptyConfig, path: shown, diagnostics: [tooLarge(shown, 'a configuration file')] };
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message;
    return { ...emptyConfig, path: shown, diagnostics: [diagnostic('FX6001', undefined, { path: shown, reason })] };
  }
  return parseCheckConfig(new SourceFile(shown, text), dirname(path));
}

/** Validates a configuration file's text; `folder` is where it is (relative paths in it start there). */
export function parseCheckConfig(file: SourceFile, folder: string): CheckConfig {
  const diagnostics: Diagnostic[] = [];
  const spanOf = (node: Node | null | undefined): Span => (node?.range ? file.span(node.range[0], node.range[1]) : file.span(0, 0));
  const document = parseDocument(file.text);
  for (const error of document.errors) diagnostics.push(diagnostic('FX1003', file.span(error.pos[0], error.pos[1]), { detail: error.message.split('\n')[0] ?? '' }));
  const result = {
    path: file.path, text: file.text, levels: new Map<DiagnosticCode, Level>(), falcoVersion: undefined as string | undefined,
    maxWarnings: undefined as number | undefined, upstream: undefined as ConfiguredUpstream | undefined, diagnostics,
  };
  if (diagnostics.length > 0 || document.contents === null) return result;
  if (!isMap(document.contents)) {
    diagnostics.push(diagnostic('FX6101', spanOf(document.contents), { detail: 'The configuration must be a mapping (diagnostics, falco-version, max-warnings, upstream).' }));
    return result;
  }
  for (const pair of document.contents.items as Pair<Node, Node>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    switch (key) {
      case 'diagnostics':
        readLevels(pair.value, result.levels, diagnostics, spanOf);
        break;
      case 'falco-version':
        if (isScalar(pair.value) && /^\d+\.\d+(\.\d+)?(\s*,\s*\d+\.\d+(\.\d+)?)*$/.test(String(pair.value.value))) result.falcoVersion = String(pair.value.value);
        else diagnostics.push(diagnostic('FX6101', spanOf(pair.value), { detail: 'falco-version must be a Falco version such as 0.45, or a list such as 0.44,0.45.' }));
        break;
      case 'max-warnings':
        if (isScalar(pair.value) && Number.isInteger(pair.value.value) && (pair.value.value as number) >= 0) result.maxWarnings = pair.value.value as number;
        else diagnostics.push(diagnostic('FX6101', spanOf(pair.value), { detail: 'max-warnings must be a whole number.' }));
        break;
      case 'upstream':
        if (isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.value.trim() !== '') {
          const written = pair.value.value;
          result.upstream = { path: resolve(folder, written), written, span: spanOf(pair.value) };
        } else {
          diagnostics.push(diagnostic('FX6101', spanOf(pair.value), { detail: 'upstream must be the path of the falco_rules.yaml your Falco loads, relative to this file\'s folder.' }));
        }
        break;
      default:
        diagnostics.push(diagnostic('FX6101', spanOf(pair.key), { detail: `Unknown key "${key}"; the configuration has diagnostics, falco-version, max-warnings and upstream.` }));
    }
  }
  return result;
}

function readLevels(node: Node | null, into: Map<DiagnosticCode, Level>, diagnostics: Diagnostic[], spanOf: (node: Node | null | undefined) => Span): void {
  if (node === null || node === undefined) return;
  if (!isMap(node)) {
    diagnostics.push(diagnostic('FX6101', spanOf(node), { detail: 'diagnostics must map codes to a level (error, warning, info or off).' }));
    return;
  }
  for (const pair of node.items as Pair<Node, Node>[]) {
    const code = isScalar(pair.key) ? String(pair.key.value) : '';
    // YAML 1.1 readers turn a bare off into false; accept it so either habit works.
    const raw = isScalar(pair.value) ? pair.value.value : undefined;
    const level = raw === false ? 'off' : String(raw);
    if (!(code in codes)) {
      diagnostics.push(diagnostic('FX6102', spanOf(pair.key), { code }, { hint: 'Run "falx explain CODE" to check a code.' }));
    } else if (!(levels as readonly string[]).includes(level)) {
      diagnostics.push(diagnostic('FX6101', spanOf(pair.value), { detail: `"${level}" is not a level; use error, warning, info or off.` }));
    } else if (isFalcoError(code as DiagnosticCode) && level !== 'error') {
      diagnostics.push(diagnostic('FX6103', spanOf(pair.value), { code }));
    } else {
      into.set(code as DiagnosticCode, level as Level);
    }
  }
}
