import type { ParseArgsConfig } from 'node:util';
import type { ExitCode, Io } from './io.ts';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

/** One `falx` subcommand: its help text, its options (node:util parseArgs specs) and its action. */
export interface Command {
  readonly name: string;
  /** The full `falx NAME --help` text. */
  readonly help: string;
  readonly options: OptionSpecs;
  run(args: ParsedArgs, io: Io): Promise<ExitCode>;
}

/** A usage error: `run()` prints it with the command's usage line and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Whether `error` is a UsageError. Checked by name: a command module loaded on demand may come
 * with its own copy of this module (CommonJS and ES module loaders), where `instanceof` fails.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}

/** The string value of option `name`, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.values[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new UsageError(`option --${name} takes a value`);
}

/** All string values of a repeatable option `name`. */
export function stringOptions(args: ParsedArgs, name: string): string[] {
  const value = args.values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Whether boolean option `name` was given. */
export function flagOption(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}
