/**
 * Compiles `.falx` files: loads them with their imports, lowers every declaration, checks the
 * result exactly as Falco YAML is checked (the upstream rules first when a module imports them,
 * then modules in import order), and emits Falco YAML for the modules' own items in dependency order.
 */
import { dirname, resolve } from 'node:path';
import type { Catalog } from '../check/catalog/catalog.ts';
import { checkRulesItems, type CheckedRuleset } from '../check/check-rules-files.ts';
import { falxSyntaxDiagnostic } from '../check/syntax-diagnostic.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { emitFalcoYaml } from '../emit/falco-yaml.ts';
import { parseFalx } from '../language/parse-falx.ts';
import type { FalxFile, ImportDecl } from '../language/falx-ast.ts';
import type { RulesFileItem } from '../loader/items.ts';
import { readRulesFile } from '../loader/read-rules-file.ts';
import { SourceFile } from '../loader/source-file.ts';
import { lowerFile, type LoweredFile } from './lower.ts';
import { emitMap, type EmitMap, type LoweredItem, type LoweredTest } from './lowered.ts';
import { dependencyOrder } from './order.ts';
import { bundledUpstream } from './bundle.ts';
import { moduleRequirements, type Requirements } from './requirements.ts';

export interface FalxModule {
  readonly file: SourceFile;
  readonly ast: FalxFile;
  readonly lowered: LoweredFile;
  /** The module's items in the order they are checked and emitted. */
  readonly items: readonly LoweredItem[];
  /** Engine and plugin versions: declared, or computed from what the items use. */
  requirements: Requirements;
  /** Falco's rules file, when the module says `import upstream` (`import upstream bundle` emits from it). */
  readonly upstream?: SourceFile;
}

export interface CompiledProgram {
  /** Every file read, parsed or not (for code frames in diagnostics). */
  readonly sources: readonly SourceFile[];
  /** Modules in load order: imports before the files that import them. */
  readonly modules: readonly FalxModule[];
  readonly usesUpstream: boolean;
  readonly checked: CheckedRuleset;
  readonly tests: readonly LoweredTest[];
  readonly diagnostics: Diagnostic[];
}

export interface CompileOptions {
  readonly catalog: Catalog;
  /** Reads a file imported by path (absolute); undefined when it cannot be read. */
  readonly readFile: (path: string) => string | undefined;
  /** Turns an absolute path into the path shown in diagnostics. */
  readonly displayPath?: (path: string) => string;
  /**
   * Falco's rules file (falco_rules.yaml) as the user deploys it, for modules that say `import
   * upstream`; the compiler reads no file of its own. The command line finds it (src/cli/upstream-rules.ts).
   */
  readonly upstream?: SourceFile;
  /** Where the caller looked for the upstream rules file, named in FX1026 when a module imports upstream and there is none. */
  readonly upstreamSearched?: string;
}

/**
 * A module whose AST was built rather than parsed (the TypeScript builder, src/builder): `file` is
 * its text as `.falx` (conditions are read from it), `ast` the tree whose locations point into it.
 */
export interface BuiltModule {
  readonly file: SourceFile;
  readonly ast: FalxFile;
}

export function compileProgram(entries: readonly (SourceFile | BuiltModule)[], options: CompileOptions): CompiledProgram {
  const diagnostics: Diagnostic[] = [];
  const modules: FalxModule[] = [];
  const sources: SourceFile[] = [];
  const loaded = new Map<string, FalxModule | 'loading'>();
  const upstreamImports: { decl: ImportDecl; file: SourceFile }[] = [];

  const load = (file: SourceFile, key: string, built?: FalxFile): void => {
    if (loaded.has(key)) return;
    loaded.set(key, 'loading');
    sources.push(file);
    const parsed = built === undefined ? parseFalx(file.text) : { ok: true as const, file: built };
    if (!parsed.ok) {
      diagnostics.push(falxSyntaxDiagnostic(parsed.error, parsed.inCondition === true, file));
      return;
    }
    let importsUpstream = false;
    for (const declaration of parsed.file.declarations) {
      if (declaration.kind !== 'Import') continue;
      if (declaration.target.upstream) {
        importsUpstream = true;
        upstreamImports.push({ decl: declaration, file });
        continue;
      }
      loadImport(declaration, file, key);
    }
    const lowered = lowerFile(file, parsed.file, diagnostics);
    const items = [...dependencyOrder(lowered.lists), ...dependencyOrder(lowered.macros), ...lowered.rules, ...lowered.extensions];
    const upstream = importsUpstream ? options.upstream : undefined;
    const module: FalxModule = { file, ast: parsed.file, lowered, items, requirements: { plugins: [] }, ...(upstream === undefined ? {} : { upstream }) };
    loaded.set(key, module);
    modules.push(module);
  };

  const loadImport = (declaration: ImportDecl, from: SourceFile, fromKey: string): void => {
    if (declaration.target.upstream) return;
    const path = resolve(dirname(fromKey), declaration.target.path.value);
    const span = from.span(declaration.loc.start.offset, declaration.loc.end.offset);
    if (loaded.get(path) === 'loading') {
      diagnostics.push(diagnostic('FX1016', span, { detail: `Import cycle: "${declaration.target.path.value}" imports this file back.` }));
      return;
    }
    const text = options.readFile(path);
    if (text === undefined) {
      diagnostics.push(diagnostic('FX1016', span, { detail: `Cannot read "${declaration.target.path.value}".` }));
      return;
    }
    load(new SourceFile(options.displayPath?.(path) ?? path, text), path);
  };

  for (const entry of entries) {
    if (entry instanceof SourceFile) load(entry, resolve(entry.path));
    else load(entry.file, resolve(entry.file.path), entry.ast);
  }

  const usesUpstream = upstreamImports.length > 0;
  if (usesUpstream && options.upstream === undefined) {
    // Without the upstream rules every upstream name the modules use would be reported too: say
    // the one thing that is wrong, at each import, and check nothing further.
    const searched = options.upstreamSearched ?? 'no upstream rules file was given to the compiler';
    for (const { decl, file } of upstreamImports) diagnostics.push(diagnostic('FX1026', file.span(decl.loc.start.offset, decl.loc.end.offset), { searched }));
    return { sources, modules, usesUpstream, checked: checkRulesItems([], options.catalog), tests: [], diagnostics };
  }
  reportClashes(modules, diagnostics);
  const itemFiles: RulesFileItem[][] = [];
  if (usesUpstream && options.upstream !== undefined) {
    sources.push(options.upstream);
    itemFiles.push(readRulesFile(options.upstream).items);
  }
  for (const module of modules) itemFiles.push(module.items.map((i) => i.item));
  const listTypes = new Map<string, string>();
  for (const module of modules) for (const [name, type] of module.lowered.listTypes) listTypes.set(name, type);
  const checked = checkRulesItems(itemFiles, options.catalog, { listTypes });
  // In YAML a textual list substitution is a surprise worth a warning; in YAML falx writes it
  // would silently change a value the .falx file spells out, so it is an error there.
  diagnostics.push(...checked.diagnostics.map((d) => (d.code === 'FX4001' && d.span?.file.endsWith('.falx') === true ? diagnostic('FX5001', d.span, {}, { hint: d.message }) : d)));
  for (const module of modules) {
    module.requirements = moduleRequirements(module.lowered, module.items, options.catalog, diagnostics);
    for (const item of module.lowered.lists) reportListNameItems(item, checked, diagnostics);
    for (const spread of module.lowered.spreads) {
      if (!checked.ruleset.lists.has(spread.name)) diagnostics.push(diagnostic('FX2016', spread.span, { name: spread.name }));
    }
  }
  return { sources, modules, usesUpstream, checked, tests: modules.flatMap((m) => m.lowered.tests), diagnostics };
}

/**
 * Two modules compiled together that both define a list, macro or rule: Falco keeps the last
 * definition, so the first module's silently stops meaning what it says (a policy trusting other
 * networks). Changing another module's item is said with `replace` or `append`.
 */
function reportClashes(modules: readonly FalxModule[], diagnostics: Diagnostic[]): void {
  const first = new Map<string, { module: FalxModule; span: Span }>();
  for (const module of modules) {
    for (const { item } of [...module.lowered.lists, ...module.lowered.macros, ...module.lowered.rules]) {
      if (item.kind !== 'list' && item.kind !== 'macro' && item.kind !== 'rule') continue;
      const { kind, name, nameSpan } = item;
      const key = `${kind}:${name}`;
      const earlier = first.get(key);
      if (earlier === undefined) {
        first.set(key, { module, span: nameSpan });
        continue;
      }
      if (earlier.module === module) continue; // FX1019, reported by the module's own lowering
      const word = kind === 'list' ? 'List' : kind === 'macro' ? 'Macro' : 'Rule';
      diagnostics.push(diagnostic('FX1028', nameSpan, { kind: word, name, other: earlier.span.file }, {
        notes: [{ message: 'first defined here', span: earlier.span }],
        hint: `Falco would keep only this definition. Rename one of them, or say "replace ${kind} ${kind === 'rule' ? `"${name}"` : name}" (or "append ...") to change the other module's on purpose.`,
      }));
    }
  }
}

/** An item spelled like a list defined before it is replaced by that list's items in Falco. */
function reportListNameItems(item: LoweredItem, checked: CheckedRuleset, diagnostics: Diagnostic[]): void {
  if (item.item.kind !== 'list') return;
  const own = checked.ruleset.lists.get(item.name);
  for (const scalar of item.item.items ?? []) {
    const other = checked.ruleset.lists.get(scalar.value);
    if (other === undefined || item.uses.includes(scalar.value) || own === undefined || other.index >= own.index) continue;
    diagnostics.push(diagnostic('FX5002', scalar.span, { value: scalar.value }, { hint: `Write ...${scalar.value} to include that list, or rename it.` }));
  }
}

export interface EmitOptions {
  readonly version: string;
  /** Adds each rule's fully expanded condition as a comment. */
  readonly expand?: (rule: string) => string | undefined;
}

/** Falco YAML for some modules' items, with a header naming the sources. */
export function emitModules(modules: readonly FalxModule[], options: EmitOptions): string {
  const header = [
    `Generated by falx ${options.version} from ${modules.map((m) => m.file.path).join(', ')}.`,
    'Do not edit: change the source and run falx compile.',
  ];
  const items: EmitMap[] = [];
  const bundle = bundledUpstream(modules);
  const engines = [...modules.map((m) => m.requirements.engine), bundle.items.length > 0 ? bundle.engine : undefined];
  const engine = engines.filter((v): v is string => v !== undefined).sort(compareSemver).pop();
  if (engine !== undefined) items.push(emitMap([['required_engine_version', engine]]));
  const plugins = [...new Map(modules.flatMap((m) => m.requirements.plugins).map((p) => [`${p.name}@${p.version}`, p])).values()];
  if (plugins.length > 0) items.push(emitMap([['required_plugin_versions', plugins.map((p) => emitMap([['name', p.name], ['version', p.version]]))]]));
  items.push(...bundle.items);
  for (const module of modules) {
    for (const item of module.items) {
      const expanded = item.item.kind === 'rule' ? options.expand?.(item.name) : undefined;
      items.push(expanded === undefined ? item.emit : { ...item.emit, comment: `expanded condition: ${expanded}` });
    }
  }
  return emitFalcoYaml(items, header);
}

function compareSemver(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
