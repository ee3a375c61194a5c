/** Reads a field catalog file of this folder: one JSON record a line (fields.jsonl, plugins/*.jsonl). */
import { readFileSync } from 'node:fs';
import type { FieldInfo, FieldSource } from './catalog.ts';
import type { FieldType } from './field-types.ts';

interface FieldRecord {
  name: string;
  type: FieldType;
  list: boolean;
  arg: 'none' | 'allowed' | 'required';
  argKind?: 'index' | 'key' | null;
  class: string;
  source: FieldSource;
  deprecated: boolean;
  flags: string[];
  desc: string;
}

export function loadFields(file: URL): FieldInfo[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record = JSON.parse(line) as FieldRecord;
      return {
        name: record.name,
        type: record.type,
        list: record.list,
        arg: record.arg,
        ...(record.argKind === 'index' || record.argKind === 'key' ? { argKind: record.argKind } : {}),
        fieldClass: record.class,
        source: record.source,
        deprecated: record.deprecated,
        flags: new Set(record.flags),
        desc: record.desc,
      };
    });
}
