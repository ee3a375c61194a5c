import { readFileSync } from 'node:fs';
import { SourceFile } from '../loader/source-file.ts';

let prelude: SourceFile | undefined;

/** The bundled upstream falco_rules.yaml (see src/prelude/README.md), read once. */
export function upstreamPrelude(): SourceFile {
  prelude ??= new SourceFile('<upstream falco_rules.yaml>', readFileSync(new URL('../prelude/falco_rules.yaml', import.meta.url), 'utf8'));
  return prelude;
}
