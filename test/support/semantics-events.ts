/**
 * The semantics corpus events (`events.jsonl`), read once per test run and turned into evaluator
 * events with `eventFromJson`. Large integers (evt.rawtime, proc.pid.ts, …) are kept exact.
 */
import { readFileSync } from 'node:fs';
import { eventFromJson, type EventFields, type JsonValue } from '../../src/evaluate/compile.ts';
import { parseJsonLossless } from '../../src/evaluate/json.ts';
import { semanticsEventsPath } from './corpus.ts';

export interface CorpusEvent {
  readonly capture: string;
  readonly num: number;
  readonly event: EventFields;
}

let cached: CorpusEvent[] | undefined;

export function readSemanticsEvents(): CorpusEvent[] {
  cached ??= readFileSync(semanticsEventsPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record = parseJsonLossless(line) as { capture: string; num: number } & JsonValue;
      return { capture: record.capture, num: Number(record.num), event: eventFromJson(record) };
    });
  return cached;
}
