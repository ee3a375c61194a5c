/**
 * Every file and stdin read of the command line goes through here, bounded: a rules file, an
 * event or a configuration larger than `maxInputBytes` is refused with FX6003 naming the source
 * and the limit, instead of being read into memory until the process dies.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Io } from './io.ts';

/** 10 MB: far above any real rules file, configuration or Falco event, far below what hurts. */
export const maxInputBytes = 10 * 1024 * 1024;

/** What was read, for the message: "a rules file", "an event". */
export type InputKind = 'a rules file' | 'a configuration file' | 'an event' | 'events';

/** Thrown by a byte source that passed its limit; turned into FX6003 by the readers below. */
export class InputTooLargeError extends Error {
  override readonly name = 'InputTooLargeError';
  constructor(readonly limit: number) {
    super(`more than ${formatBytes(limit)}`);
  }
}

/**
 * An input problem (FX6xxx) that ends the command: `run()` prints the diagnostic and exits 2.
 * Thrown through code that is not the command line's (compilers reading imports).
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** Checked by name, as for UsageError: a command module loaded on demand may carry its own copy of this class. */
export function isInputError(error: unknown): error is InputError {
  return error instanceof Error && error.name === 'InputError' && 'diagnostic' in error;
}

/** Collects a byte stream into text, stopping (and closing the stream) as soon as it passes `limit` bytes. */
export async function readBounded(chunks: AsyncIterable<Uint8Array | string>, limit: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  // Leaving the loop by throwing closes the stream: nothing past the limit is buffered.
  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buffer.length;
    if (size > limit) throw new InputTooLargeError(limit);
    parts.push(buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The FX6003 diagnostic for `source` (a path, or "stdin"). */
export function tooLarge(source: string, kind: InputKind, limit = maxInputBytes): Diagnostic {
  return diagnostic('FX6003', undefined, { source, limit: formatBytes(limit), what: kind });
}

/** FX6001 for a file that cannot be read. */
export function notReadable(path: string, error: unknown): Diagnostic {
  return diagnostic('FX6001', undefined, { path, reason: unreadableReason(error) });
}

/** Why a file could not be read, in words: "no such file or directory", "it is a folder", EACCES. */
export function unreadableReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or directory' : code === 'EISDIR' ? 'it is a folder' : code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Reads `source` (a path relative to the working folder, or `-` for stdin) as UTF-8 text, at most
 * `limit` bytes. Throws InputError (FX6001 unreadable, FX6003 too large).
 */
export async function readInput(io: Io, source: string, kind: InputKind, limit = maxInputBytes): Promise<string> {
  try {
    return source === '-' ? await io.readStdin(limit) : await readFileBounded(resolve(io.cwd, source), limit);
  } catch (error) {
    if (error instanceof Error && error.name === 'InputTooLargeError') throw new InputError(tooLarge(source === '-' ? 'stdin' : source, kind, limit));
    throw new InputError(notReadable(source, error));
  }
}

/** Reads a file as UTF-8 text, at most `limit` bytes; throws InputTooLargeError past it and the file system's error otherwise. */
export function readFileBounded(path: string, limit = maxInputBytes): Promise<string> {
  return readBounded(createReadStream(path), limit);
}

/**
 * Reads a file synchronously, at most `limit` bytes, for the compilers' `readFile` callbacks
 * (imports). Throws InputTooLargeError past the limit and the file system's error otherwise.
 */
export function readFileBoundedSync(path: string, limit = maxInputBytes): string {
  const fd = openSync(path, 'r');
  try {
    // A regular file says its size; a FIFO or device is read until the limit.
    if (fstatSync(fd).size > limit) throw new InputTooLargeError(limit);
    const parts: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      size += read;
      if (size > limit) throw new InputTooLargeError(limit);
      parts.push(chunk.subarray(0, read));
    }
    return Buffer.concat(parts).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * A `readFile` callback for compiling (.falx imports, rules modules): undefined when the file
 * cannot be read (the compiler reports it at the import), InputError (exit 2) when it is too large.
 */
export function readImportedFile(path: string): string | undefined {
  try {
    return readFileBoundedSync(path);
  } catch (error) {
    if (error instanceof InputTooLargeError) throw new InputError(tooLarge(path, 'a rules file'));
    return undefined;
  }
}

/** 10485760 -> "10 MB"; other sizes in KB or bytes. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
