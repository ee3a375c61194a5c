/**
 * Compiles `.falx` files and TypeScript rules modules together: each module is imported (the CLI
 * runs under tsx, so no build step), its exported declarations laid out as `.falx` (layout.ts),
 * and everything goes through `compileProgram`, like parsed files. Spans in a module's laid-out
 * text are then moved to the TypeScript call sites that built them, and the module's own text
 * replaces the laid-out one as a source, so diagnostics and test reports point into the `.ts` file.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileProgram, type BuiltModule, type CompileOptions, type CompiledProgram } from '../compile/compile-program.ts';
import type { LoweredTest } from '../compile/lowered.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { SourceFile } from '../loader/source-file.ts';
import { astOf, orderOf } from './declaration.ts';
import { layOut, type SiteRange } from './layout.ts';
import { siteOf } from './site.ts';
import { falxFile, moduleDeclarations } from './module.ts';
import { isRulesModule } from './rules-module-path.ts';

export { isRulesModule };

export interface CompileSourcesOptions extends CompileOptions {
  /** The folder paths are relative to (rules modules are imported from there). */
  readonly cwd: string;
}

/** Where a module's laid-out text came from. */
interface ModuleMap {
  readonly source: SourceFile;
  readonly sites: readonly SiteRange[];
  /** Where the first declaration was written: the fallback for spans outside any recorded node. */
  readonly fallback?: SiteRange['site'];
}

/** Compiles `.falx` files and TypeScript rules modules as one program. */
export async function compileSources(files: readonly SourceFile[], options: CompileSourcesOptions): Promise<CompiledProgram> {
  const entries: (SourceFile | BuiltModule)[] = [];
  const maps = new Map<string, ModuleMap>();
  const problems: Diagnostic[] = [];
  const failed: SourceFile[] = [];
  for (const file of files) {
    if (!isRulesModule(file.path)) {
      entries.push(file);
      continue;
    }
    const built = await buildModule(file, options.cwd);
    if ('problem' in built) {
      problems.push(built.problem);
      failed.push(file);
      continue;
    }
    entries.push(built.module);
    maps.set(file.path, built.map);
  }
  const program = compileProgram(entries, options);
  const moved = remap(program, maps, problems, options);
  return { ...moved, sources: [...moved.sources, ...failed] };
}

async function buildModule(file: SourceFile, cwd: string): Promise<{ module: BuiltModule; map: ModuleMap } | { problem: Diagnostic }> {
  const at = file.span(0, 0);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(resolve(cwd, file.path)).href)) as Record<string, unknown>;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // tsx compiles a .ts file of a package without "type": "module" as CommonJS, which cannot load falx.
    const hint = /require\(\)|ERR_REQUIRE/.test(detail) ? 'Rules modules are ES modules: name the file .mts, or set "type": "module" in the nearest package.json.' : undefined;
    const span = syntaxErrorSpan(error, file) ?? thrownAtSpan(error, file, resolve(cwd, file.path));
    return { problem: diagnostic('FX9001', span ?? at, { detail: detail.split('\n').slice(0, 3).join('\n') }, { hint }) };
  }
  const declarations = moduleDeclarations(exports);
  if (declarations.length === 0) return { problem: diagnostic('FX9002', at, {}, { hint: 'Export the declarations (rule(...), list(...), ...) as the default export, an array of them, or named exports.' }) };
  const layout = layOut(falxFile(declarations));
  if (!layout.ok) return { problem: diagnostic('FX9003', at, { detail: layout.reason }) };
  const first = [...declarations].sort((a, b) => orderOf(a) - orderOf(b))[0]!;
  const fallback = siteOf(astOf(first));
  return {
    module: { file: new SourceFile(file.path, layout.text), ast: layout.ast },
    map: { source: file, sites: layout.sites, ...(fallback === undefined ? {} : { fallback }) },
  };
}

/** Where esbuild says a syntax error is: `file.ts:LINE:COLUMN: ERROR:` (column 0-based) in its message. */
function syntaxErrorSpan(error: unknown, file: SourceFile): Span | undefined {
  const match = /:(\d+):(\d+): ERROR:/.exec(error instanceof Error ? error.message : String(error));
  if (match === null) return undefined;
  const start = offsetOf(file, Number(match[1]), Number(match[2]) + 1);
  return file.span(start, start + 1);
}

/** Where in the module an error was thrown while it ran: its stack's first frame in the module's file. */
function thrownAtSpan(error: unknown, file: SourceFile, absolutePath: string): Span | undefined {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  const url = pathToFileURL(absolutePath).href;
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/gm)) {
    if (match[1] !== absolutePath && match[1] !== url) continue;
    const start = offsetOf(file, Number(match[2]), Number(match[3]));
    const word = /^\.?[\w$]*/.exec(file.text.slice(start))![0];
    return file.span(start, start + Math.max(1, word.length));
  }
  return undefined;
}

function remap(program: CompiledProgram, maps: ReadonlyMap<string, ModuleMap>, problems: readonly Diagnostic[], options: CompileSourcesOptions): CompiledProgram {
  const files = new Map<string, SourceFile>([...maps.values()].map((m) => [m.source.path, m.source]));
  const display = (absolute: string): string => options.displayPath?.(absolute) ?? relative(options.cwd, absolute);
  /** The span of the call site that built the innermost recorded node around `span`. */
  const move = (span: Span | undefined): Span | undefined => {
    if (span === undefined) return undefined;
    const map = maps.get(span.file);
    if (map === undefined) return span;
    const offset = span.start.offset;
    const around = map.sites.filter((s) => s.start <= offset && offset <= s.end).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
    const site = around?.site ?? map.fallback;
    if (site === undefined) return { ...map.source.span(0, 0) };
    const path = display(site.file);
    let source = files.get(path);
    if (source === undefined) {
      const text = options.readFile(site.file);
      if (text === undefined) return { file: path, start: { offset: 0, line: site.line, column: site.column }, end: { offset: 0, line: site.line, column: site.column } };
      source = new SourceFile(path, text);
      files.set(path, source);
    }
    const start = offsetOf(source, site.line, site.column);
    const word = /^[\w$]*/.exec(source.text.slice(start))![0];
    return source.span(start, start + Math.max(1, word.length));
  };
  const moveDiagnostic = (d: Diagnostic): Diagnostic => {
    const span = move(d.span);
    const notes = d.notes?.map((n) => {
      const noteSpan = move(n.span);
      return noteSpan === undefined ? { message: n.message } : { ...n, span: noteSpan };
    });
    return { ...d, ...(span === undefined ? {} : { span }), ...(notes === undefined ? {} : { notes }) };
  };
  const moveTest = (t: LoweredTest): LoweredTest => ({
    ...t,
    span: move(t.span)!,
    ruleSpan: move(t.ruleSpan)!,
    fieldSpans: Object.fromEntries(Object.entries(t.fieldSpans).map(([k, s]) => [k, move(s)!])),
  });
  const diagnostics = [...problems, ...program.diagnostics.map(moveDiagnostic)];
  const sources = [...program.sources.filter((s) => !maps.has(s.path)), ...files.values()];
  return { ...program, sources, diagnostics, tests: program.tests.map(moveTest) };
}

/** The offset of a 1-based line and column. */
function offsetOf(source: SourceFile, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = source.text.indexOf('\n', offset);
    if (next === -1) return source.text.length;
    offset = next + 1;
  }
  return Math.min(source.text.length, offset + column - 1);
}

/** Reads a file for `CompileOptions.readFile`. */
export function readFileIfAny(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
