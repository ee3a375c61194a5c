/**
 * Writes lowered items as Falco rules YAML. Deterministic and literal: every string is a
 * double-quoted YAML scalar (JSON escapes), so neither YAML (booleans, numbers, `:` and `#`) nor
 * line folding can change a value; keys keep Falco's order (rule, desc, condition, output,
 * priority, tags, ...); one blank line between items.
 */
import type { EmitMap, EmitValue } from '../compile/lowered.ts';

export function emitFalcoYaml(items: readonly EmitMap[], header: readonly string[]): string {
  const lines = header.map((line) => `# ${line}`.trimEnd());
  const blocks = items.map((item) => {
    const comment = item.comment === undefined ? '' : `${item.comment.split('\n').map((line) => `# ${line}`).join('\n')}\n`;
    return comment + item.entries.map(([key, value], i) => entry(key, value, i === 0 ? '- ' : '  ', '    ')).join('\n');
  });
  return `${[lines.join('\n'), ...blocks].filter((b) => b !== '').join('\n\n')}\n`;
}

function isMap(value: EmitValue): value is EmitMap {
  return typeof value === 'object' && (value as EmitMap).kind === 'map';
}

function isList(value: EmitValue): value is readonly EmitValue[] {
  return Array.isArray(value);
}

function entry(key: string, value: EmitValue, prefix: string, indent: string): string {
  // Maps, and lists holding maps, are written as blocks; everything else inline.
  if (isMap(value)) return `${prefix}${key}:\n${mapBlock(value, indent)}`;
  if (isList(value) && value.some(isMap)) return `${prefix}${key}:\n${listBlock(value, indent)}`;
  return `${prefix}${key}: ${inline(value)}`;
}

function mapBlock(value: EmitMap, indent: string): string {
  return value.entries.map(([k, v]) => entry(k, v, indent, `${indent}  `)).join('\n');
}

function listBlock(value: readonly EmitValue[], indent: string): string {
  return value
    .map((element) => (isMap(element)
      ? element.entries.map(([k, v], i) => entry(k, v, i === 0 ? `${indent}- ` : `${indent}  `, `${indent}    `)).join('\n')
      : `${indent}- ${inline(element)}`))
    .join('\n');
}

function inline(value: EmitValue): string {
  if (isMap(value)) return `{${value.entries.map(([k, v]) => `${k}: ${inline(v)}`).join(', ')}}`;
  if (isList(value)) return `[${value.map(inline).join(', ')}]`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
