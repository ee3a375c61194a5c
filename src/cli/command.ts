import type { ParseArgsConfig } from 'node:util';
import type { ExitCode, Io } from './io.ts';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One `falx` subcommand: its help text, its options (node:util parseArgs specs) and its action. */
export interface Command {
  readonly name: string;
  /** One line for `falx --help`. */
  readonly summary: string;
  /** The full `falx NAME --help` text. */
  readonly help: string;
  readonly options: OptionSpecs;
  run(args: ParsedArgs, io: Io): Promise<ExitCode>;
}

/** A usage error: `run()` prints it with the command's usage line and exits 2. */
export class UsageError extends Error {}
