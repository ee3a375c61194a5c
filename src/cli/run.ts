/**
 * The command line as a function: `run(argv, io)` parses the arguments, runs one command and
 * returns its exit code. It never touches `process`: that is `main.ts`'s job.
 */
import { parseArgs } from 'node:util';
import { isUsageError, type Command } from './command.ts';
import { commands } from './commands/index.ts';
import { ExitCode, type Io } from './io.ts';
import { isInputError } from './read-input.ts';
import { renderText } from '../diagnostics/render-text.ts';
import { version } from './version.ts';

export { version };


export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`falx ${version}\n`);
    return ExitCode.Ok;
  }
  const entry = commands.find((c) => c.name === name);
  if (entry === undefined) {
    io.stderr(`falx: unknown command "${name}". Run "falx --help" for the list of commands.\n`);
    return ExitCode.Usage;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help.endsWith('\n') ? command.help : `${command.help}\n`);
    return ExitCode.Ok;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError(command, io, error instanceof Error ? error.message : String(error));
  }
  try {
    return await command.run(parsed, io);
  } catch (error) {
    if (isUsageError(error)) return usageError(command, io, error.message);
    if (isInputError(error)) {
      io.stderr(renderText([error.diagnostic], { sourceOf: () => undefined, color: false }).replace(/^(?=.)/gm, `falx ${command.name}: `));
      return ExitCode.Usage;
    }
    throw error;
  }
}

function usageError(command: Command, io: Io, message: string): ExitCode {
  io.stderr(`falx ${command.name}: ${message}\nRun "falx ${command.name} --help" for usage.\n`);
  return ExitCode.Usage;
}

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `falx ${version}: a Falco rules compiler and checker, and an alert router for Falco events.

Usage: falx <command> [options]

Commands:
${lines.join('\n')}

Run "falx <command> --help" for a command's options.
Exit codes: 0 clean, 1 findings, 2 usage or I/O error.
`;
}
