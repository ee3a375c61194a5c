/**
 * The upstream rules for `import upstream`: the falco_rules.yaml the user's Falco loads, never a
 * copy in falx. Found in this order: `--upstream FILE`, the `upstream:` key of the falx
 * configuration (relative to its folder), then where Falco installs it. Read once per run, bounded
 * like every input; the compiler receives the file, or undefined and where it was looked for.
 */
import { relative, resolve } from 'node:path';
import type { CompileOptions } from '../compile/compile-program.ts';
import { diagnostic } from '../diagnostics/create.ts';
import { renderText } from '../diagnostics/render-text.ts';
import { SourceFile } from '../loader/source-file.ts';
import { stringOption, type OptionSpecs, type ParsedArgs } from './command.ts';
import { loadCheckConfig, type CheckConfig } from './config-file.ts';
import type { Io } from './io.ts';
import { InputError, InputTooLargeError, notReadable, readFileBounded, tooLarge, unreadableReason } from './read-input.ts';

/** Where Falco packages install the upstream rules. */
export const falcoRulesPath = '/etc/falco/falco_rules.yaml';

/** The options of the commands that compile `.falx` files. */
export const upstreamOptions = {
  upstream: { type: 'string' },
  config: { type: 'string' },
} as const satisfies OptionSpecs;

/** Their help lines, in the column layout of compile and test. */
export const upstreamHelp = `  --upstream FILE       The falco_rules.yaml your Falco loads, for "import upstream" (default:
                        the "upstream:" key of the configuration, else ${falcoRulesPath}).
  --config FILE         The configuration file (default: .falx.yaml or falx.config.yaml in the
                        working folder or the nearest folder above it).`;

export type UpstreamRules = Pick<CompileOptions, 'upstream' | 'upstreamSearched'>;

/**
 * Reads the upstream rules file for a run. An explicit choice (`--upstream`, `upstream:`) that
 * cannot be read is an InputError (exit 2); where Falco installs it, absence just means none.
 */
export async function readUpstreamRules(io: Io, option: string | undefined, config: CheckConfig): Promise<UpstreamRules> {
  if (option !== undefined) {
    try {
      return { upstream: new SourceFile(option, await readFileBounded(resolve(io.cwd, option))) };
    } catch (error) {
      throw new InputError(error instanceof InputTooLargeError ? tooLarge(option, 'a rules file') : notReadable(`${option} (--upstream)`, error));
    }
  }
  if (config.upstream !== undefined) {
    const { path, written, span } = config.upstream;
    try {
      return { upstream: new SourceFile(relative(io.cwd, path), await readFileBounded(path)) };
    } catch (error) {
      if (error instanceof InputTooLargeError) throw new InputError(tooLarge(written, 'a rules file'));
      throw new InputError(diagnostic('FX6101', span, { detail: `Cannot read the upstream rules file "${written}" (${path}): ${unreadableReason(error)}.` }));
    }
  }
  const installed = io.falcoRulesPath ?? falcoRulesPath;
  try {
    return { upstream: new SourceFile(installed, await readFileBounded(installed)) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new InputError(error instanceof InputTooLargeError ? tooLarge(installed, 'a rules file') : notReadable(installed, error));
    }
    return { upstreamSearched: `no --upstream FILE option, no "upstream:" key in a falx configuration file (.falx.yaml or falx.config.yaml), and no ${installed}` };
  }
}

/**
 * For the commands that compile `.falx` files and otherwise ignore the configuration: loads it
 * (`--config`, or found from the working folder up) for its `upstream:` key, then the upstream
 * rules. Undefined when the configuration has errors, which are printed (the command exits 2).
 */
export async function upstreamRulesFor(args: ParsedArgs, io: Io): Promise<UpstreamRules | undefined> {
  const config = loadCheckConfig(io.cwd, stringOption(args, 'config'));
  if (config.diagnostics.some((d) => d.severity === 'error')) {
    io.stderr(renderText(config.diagnostics, { sourceOf: (file) => (file === config.path ? config.text : undefined), color: false }));
    return undefined;
  }
  return readUpstreamRules(io, stringOption(args, 'upstream'), config);
}
