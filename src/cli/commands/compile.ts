/**
 * `falx compile FILE|DIR... [-o FILE | --out-dir DIR] [--expand] [--target T]`: `.falx` to Falco
 * rules YAML, or the egress policies to Kubernetes or Cilium network policies. Writes nothing when
 * there are errors.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { Catalog } from '../../check/catalog/catalog.ts';
import { compileSources } from '../../builder/compile-sources.ts';
import { emitModules, type CompiledProgram, type FalxModule } from '../../compile/compile-program.ts';
import { emitNetworkPolicies, networkPoliciesOf } from '../../enforce/emit-network-policies.ts';
import { expandCondition } from '../../check/expand-condition.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { printCondition } from '../../language/print-condition.ts';
import { flagOption, stringOption, UsageError, type Command, type ParsedArgs } from '../command.ts';
import { readInputFiles } from '../input-files.ts';
import { ExitCode, type Io } from '../io.ts';
import { readImportedFile } from '../read-input.ts';
import { upstreamHelp, upstreamOptions, upstreamRulesFor } from '../upstream-rules.ts';
import { version } from '../version.ts';

export const compileCommand: Command = {
  name: 'compile',
  help: `Usage: falx compile [options] FILE|DIR...

Checks .falx files (with their imports) against the Falco field catalog, then writes Falco rules
YAML: deterministic, in dependency order, every string quoted, upper-case priorities, a header
naming the sources. Items of "import upstream" are checked against the falco_rules.yaml your
Falco loads, but not emitted (Falco loads it first). Nothing is written when there are errors.

TypeScript rules modules (rules.ts: declarations written with falx's API, exported) given by name
are loaded as they are, no build step, and compiled like .falx files.

With --target networkpolicy or cilium, the egress and restricted_namespaces policies are written
as network policies instead, enforcing what their Falco rules detect: per namespace, default deny
egress for the policy's pods, DNS to kube-dns allowed, the trusted networks and addresses (and, for
Cilium, domains) allowed on the allowed ports. A policy that cannot be enforced as written (a free
"scope" condition, no "namespaces") is reported and left out.

Options:
  -o, --output FILE     Write all modules to one file (default, or "-": standard output).
  --out-dir DIR         Write one .yaml file per module into DIR.
  --target T            falco (default): Falco rules; networkpolicy: Kubernetes NetworkPolicies;
                        cilium: CiliumNetworkPolicies (cilium.io/v2).
  --expand              Add each rule's fully expanded condition as a comment.
  --no-container-plugin Check as if Falco ran without the container plugin.
${upstreamHelp}
  -h, --help            Show this help.

Exit codes: 0 compiled, 1 errors, 2 usage or I/O error.
`,
  options: {
    output: { type: 'string', short: 'o' },
    'out-dir': { type: 'string' },
    expand: { type: 'boolean' },
    target: { type: 'string' },
    'no-container-plugin': { type: 'boolean' },
    ...upstreamOptions,
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('no .falx file or folder to compile');
    const output = stringOption(args, 'output');
    const outDir = stringOption(args, 'out-dir');
    if (output !== undefined && outDir !== undefined) throw new UsageError('use either --output or --out-dir, not both');
    const target = stringOption(args, 'target') ?? 'falco';
    if (target !== 'falco' && target !== 'networkpolicy' && target !== 'cilium') throw new UsageError(`unknown --target "${target}": use falco, networkpolicy or cilium`);
    const program = await loadProgram(args, io);
    if (program === undefined) return ExitCode.Usage;
    const enforcement = target === 'falco' ? undefined : networkPoliciesOf(program, target);
    const diagnostics = sortDiagnostics([...program.diagnostics, ...(enforcement?.notes ?? [])]);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (diagnostics.length > 0) io.stderr(renderText(diagnostics, { sourceOf: sourceLookup(program), color: io.isTTY && io.env['NO_COLOR'] === undefined }));
    if (errors > 0) {
      io.stderr(`falx compile: ${errors} error${errors === 1 ? '' : 's'}; nothing written.\n`);
      return ExitCode.Findings;
    }
    const expand = flagOption(args, 'expand') ? expander(program) : undefined;
    const emitOptions = { version, ...(expand ? { expand } : {}) };
    const emit = (modules: readonly FalxModule[]): string => {
      if (enforcement === undefined) return emitModules(modules, emitOptions);
      const sources = new Set(modules.map((m) => m.file.path));
      return emitNetworkPolicies(enforcement.policies.filter((p) => sources.has(p.metadata.annotations['falx/source']!)), [...sources], version);
    };
    const write = async (path: string, text: string): Promise<boolean> => {
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, text);
        return true;
      } catch (error) {
        io.stderr(`falx compile: cannot write ${path}: ${(error as Error).message}\n`);
        return false;
      }
    };
    if (outDir !== undefined) {
      for (const module of program.modules) {
        const file = join(resolve(io.cwd, outDir), `${basename(module.file.path).replace(/\.(falx|m?ts)$/, '')}${target === 'falco' ? '' : `.${target}`}.yaml`);
        if (!(await write(file, emit([module])))) return ExitCode.Usage;
      }
      return ExitCode.Ok;
    }
    const yaml = emit(program.modules);
    if (output === undefined || output === '-') io.stdout(yaml);
    else if (!(await write(resolve(io.cwd, output), yaml))) return ExitCode.Usage;
    return ExitCode.Ok;
  },
};

/**
 * Reads the .falx inputs (and TypeScript rules modules given by name) and the upstream rules, and
 * compiles them with their imports; undefined (reported) on I/O and configuration errors.
 */
export async function loadProgram(args: ParsedArgs, io: Io): Promise<CompiledProgram | undefined> {
  const input = await readInputFiles(args.positionals, io.cwd, ['.falx']);
  if (input.diagnostics.some((d) => d.severity === 'error')) {
    io.stderr(renderText(input.diagnostics, { sourceOf: () => undefined, color: false }));
    return undefined;
  }
  const upstream = await upstreamRulesFor(args, io);
  if (upstream === undefined) return undefined;
  const catalog = new Catalog(undefined, { containerPlugin: !flagOption(args, 'no-container-plugin') });
  return compileSources(input.files, { catalog, readFile: readImportedFile, displayPath: (path) => relative(io.cwd, path), cwd: io.cwd, ...upstream });
}

export function sourceLookup(program: CompiledProgram): (file: string) => string | undefined {
  const texts = new Map(program.sources.map((f) => [f.path, f.text]));
  return (file) => texts.get(file);
}

function expander(program: CompiledProgram): (rule: string) => string | undefined {
  return (rule) => {
    const expr = program.checked.rules.get(rule);
    return expr === undefined ? undefined : printCondition(expandCondition(expr, program.checked.macros, program.checked.lists).expr);
  };
}
