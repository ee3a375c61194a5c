/**
 * Parses `.falx` files. The only module that touches the generated falx parser.
 */
import type { Location } from './ast.ts';
import type { Comment, FalxFile } from './falx-ast.ts';
import { parse, SyntaxError as PeggySyntaxError } from './generated/falx-parser.js';
import { conditionErrorAt } from './falx-condition-errors.ts';
import { describeSyntaxError, type ConditionSyntaxError } from './parse-condition.ts';

export type FalxParseResult =
  | { readonly ok: true; readonly file: FalxFile }
  /** `inCondition`: the error is a condition's, told as Falco conditions' errors are (FX1001). */
  | { readonly ok: false; readonly error: ConditionSyntaxError; readonly inCondition?: boolean };

export function parseFalx(text: string): FalxParseResult {
  const comments = new Map<number, { text: string; loc: Location }>();
  // A byte-order mark is invisible in editors: read it as a blank (offsets stay the same).
  const source = text.startsWith('\uFEFF') ? ` ${text.slice(1)}` : text;
  try {
    const file = parse(source, { startRule: 'FalxFile', falx: true, comments });
    const ordered: Comment[] = [...comments.values()].sort((a, b) => a.loc.start.offset - b.loc.start.offset);
    return { ok: true, file: { ...file, comments: ordered } };
  } catch (error) {
    if (error instanceof RangeError) {
      const at = { offset: 0, line: 1, column: 1 };
      return { ok: false, error: { message: 'the file nests too deeply to read', loc: { start: at, end: at } } } as const;
    }
    if (!(error instanceof PeggySyntaxError)) throw error;
    const inCondition = conditionErrorAt(source, error.location.start.offset);
    return inCondition === undefined ? { ok: false, error: describeSyntaxError(error, 'the end of the file') } : { ok: false, error: inCondition, inCondition: true };
  }
}
