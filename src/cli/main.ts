/**
 * Binds the command line to the real process. Sets the exit code and lets Node exit by itself,
 * so that piped output is never cut off.
 */
import { run } from './run.ts';
import type { Io } from './io.ts';
import { readBounded } from './read-input.ts';

export async function main(): Promise<void> {
  // A reader that goes away (`falx check ... | head`) is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  const io: Io = {
    cwd: process.cwd(),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    readStdin: (maxBytes) => readBounded(process.stdin, maxBytes),
  };
  try {
    process.exitCode = await run(process.argv.slice(2), io);
  } catch (error) {
    // A bug, not a user's mistake: say so plainly, with the stack for the report.
    process.stderr.write(`falx: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
}
