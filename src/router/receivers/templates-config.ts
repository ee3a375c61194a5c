/**
 * Reads a receiver's `templates:` mapping: each key overrides one built-in template, and a
 * template's syntax errors are reported at their line and column.
 */
import { isScalar, type YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import { parseTemplate, type Template } from '../template.ts';

/** The receiver's templates: `defaults` with the configured ones in place. */
export function readTemplates<T extends Readonly<Record<string, Template>>>(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string, defaults: T): T {
  const node = reader.node(map, 'templates');
  if (node === undefined) return defaults;
  const templates = reader.map(node, `"templates" in ${where}`);
  if (templates === undefined) return defaults;
  const names = Object.keys(defaults);
  reader.checkKeys(templates, names, `"templates" in ${where}`);
  const result: Record<string, Template> = { ...defaults };
  for (const name of names) {
    const value = reader.node(templates, name);
    if (value === undefined) continue;
    if (!isScalar(value) || typeof value.value !== 'string') {
      reader.report('FX7002', value, { detail: `Template "${name}" must be a string.` });
      continue;
    }
    const parsed = parseTemplate(value.value);
    if (parsed.ok) result[name] = parsed.template;
    else reader.report('FX7002', value, { detail: `Template "${name}": ${parsed.message}.` });
  }
  return result as T;
}
