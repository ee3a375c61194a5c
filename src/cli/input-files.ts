/**
 * Expands the paths given on the command line into files: a folder means every matching file
 * below it, in sorted order (Falco reads rules folders alphabetically). Each file is read up to
 * the command line's size limit (FX6003 past it).
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { SourceFile } from '../loader/source-file.ts';
import { InputTooLargeError, readFileBounded, tooLarge } from './read-input.ts';

export interface InputFiles {
  readonly files: SourceFile[];
  readonly diagnostics: Diagnostic[];
}

export async function readInputFiles(paths: readonly string[], cwd: string, extensions: readonly string[]): Promise<InputFiles> {
  const files: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    try {
      const info = await stat(absolute);
      const found = info.isDirectory() ? await listFiles(absolute, path, extensions) : [path];
      if (info.isDirectory() && found.length === 0) diagnostics.push(diagnostic('FX6002', undefined, { path }));
      for (const file of found) {
        try {
          files.push(new SourceFile(file, await readFileBounded(resolve(cwd, file))));
        } catch (error) {
          if (!(error instanceof InputTooLargeError)) throw error;
          diagnostics.push(tooLarge(file, 'a rules file'));
        }
      }
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message;
      diagnostics.push(diagnostic('FX6001', undefined, { path, reason }));
    }
  }
  return { files, diagnostics };
}

async function listFiles(absolute: string, shown: string, extensions: readonly string[]): Promise<string[]> {
  const entries = await readdir(absolute, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const child = join(shown, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(join(absolute, entry.name), child, extensions)));
    else if (extensions.some((ext) => entry.name.endsWith(ext))) files.push(child);
  }
  return files;
}
