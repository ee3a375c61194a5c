/**
 * HTML that is safe by construction: the `html` template escapes every interpolated value unless
 * it is already `SafeHtml` (built by `html` itself). Event values are attacker-controlled, so
 * escaping is not opt-in anywhere in the UI. Control characters and the Unicode controls that
 * reorder or hide text (RTL overrides, zero-width joiners) are shown as visible `<U+202E>` marks,
 * so a value can neither break the markup nor pretend to read differently.
 */
import { invisibleCharacters } from '../invisible-characters.ts';

/** A fragment of HTML known to be safe. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Interpolated values: text (escaped), numbers, fragments, lists of them, and nothing. */
export type HtmlValue = string | number | SafeHtml | undefined | null | false | readonly HtmlValue[];

// C0 and C1 controls except tab and newline, and the characters that hide or reorder text.
const invisible = new RegExp(`[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F]|${invisibleCharacters.source}`, 'g');

/** Text with its invisible and reordering characters made visible. */
export function visible(text: string): string {
  return text.replace(invisible, (char) => `<U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Escapes text for an HTML element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"'`]/g, (char) => `&#${char.charCodeAt(0)};`);
}

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** The HTML template tag. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** A query string for a link (`?a=1&b=2`), leaving out empty values. */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== '');
  return entries.length === 0 ? '' : `?${new URLSearchParams(entries.map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
}
