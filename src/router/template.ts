/**
 * Message templates: text with `{{name}}` placeholders, where name is an alert key (`rule`,
 * `priority`, `source`, `hostname`, `tags`, `time`, `output`, `message`, `uuid`) or an output field
 * by its Falco name (`{{proc.cmdline}}`, `{{proc.aname[2]}}`). The template text is trusted
 * (it comes from the operator); every substituted value is passed through the destination's
 * escape function, because event values are attacker-controlled.
 */
import type { FalcoEvent, FieldValue } from './event.ts';

/** A parsed template: literal text and placeholders, alternating. */
export interface Template {
  readonly source: string;
  readonly parts: readonly ({ readonly text: string } | { readonly name: string })[];
}

/** Parses a template, or returns the offset and reason of its first error. */
export function parseTemplate(source: string): { ok: true; template: Template } | { ok: false; offset: number; message: string } {
  const parts: Template['parts'][number][] = [];
  let index = 0;
  while (index < source.length) {
    const open = source.indexOf('{{', index);
    if (open === -1) {
      parts.push({ text: source.slice(index) });
      break;
    }
    if (open > index) parts.push({ text: source.slice(index, open) });
    const close = source.indexOf('}}', open + 2);
    if (close === -1) return { ok: false, offset: open, message: 'a "{{" placeholder is not closed with "}}"' };
    const name = source.slice(open + 2, close).trim();
    if (!/^[A-Za-z_][\w.\-]*(\[[^\]]*\])?$/.test(name)) return { ok: false, offset: open, message: `"${name}" is not a field name` };
    parts.push({ name });
    index = close + 2;
  }
  return { ok: true, template: { source, parts } };
}

/** Parses a template known to be valid (the built-in defaults). */
export function mustParseTemplate(source: string): Template {
  const parsed = parseTemplate(source);
  if (!parsed.ok) throw new Error(`invalid built-in template ${JSON.stringify(source)}: ${parsed.message}`);
  return parsed.template;
}

/** The text of one event value, as Falco prints it (`<NA>` for missing). */
export function fieldText(value: FieldValue | undefined): string {
  if (value === undefined || value === null) return '<NA>';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** The value of a placeholder for an event. */
export function lookup(event: FalcoEvent, name: string): string {
  switch (name) {
    case 'rule':
      return event.rule;
    case 'priority':
      return event.priority;
    case 'source':
      return event.source;
    case 'hostname':
      return event.hostname;
    case 'tags':
      return event.tags.join(', ');
    case 'time':
      return event.time;
    case 'output':
      return event.output;
    case 'message':
      return event.message ?? stripOutputPrefix(event.output);
    case 'uuid':
      return event.uuid;
    default:
      return fieldText(event.outputFields[name]);
  }
}

/** Renders a template, escaping each substituted value with `escape`. */
export function renderTemplate(template: Template, event: FalcoEvent, escape: (text: string) => string): string {
  return template.parts.map((part) => ('text' in part ? part.text : escape(lookup(event, part.name)))).join('');
}

/** Falco's output line without its `17:15:03.434319636: Warning ` prefix. */
export function stripOutputPrefix(output: string): string {
  return output.replace(/^\d{2}:\d{2}:\d{2}\.\d+: (Emergency|Alert|Critical|Error|Warning|Notice|Informational|Info|Debug) /i, '');
}
