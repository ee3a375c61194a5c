/**
 * Escaping for Slack's mrkdwn. Slack asks for exactly three replacements (`&`, `<`, `>`), and they
 * are what neutralises every control sequence an attacker could plant in an event value:
 * `<!channel>`, `<!here>`, `<@U123>`, `<#C123>`, `<!subteam^S1>` and fake links `<https://evil|click>`
 * all need a raw `<`. Nothing else is entity-encoded, as Slack renders other entities literally.
 */
import { invisibleCharacters } from '../invisible-characters.ts';

/** Escapes text for a Slack mrkdwn or plain_text field. */
export function escapeSlack(text: string): string {
  return text.replace(/[&<>]/g, (char) => (char === '&' ? '&amp;' : char === '<' ? '&lt;' : '&gt;'));
}


/**
 * An event value shown in Slack: escaped, with invisible controls removed, on one line (a newline
 * could start a fake "*Priority*" field), inside a code span so that `*`, `_`, `~` and a leading
 * `>` cannot format it. Backticks, which would end the span, become a look-alike.
 */
export function inertSlackValue(value: string): string {
  const flat = value.replace(invisibleCharacters, '').replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/`/g, 'ˋ');
  return flat === '' ? '`""`' : `\`${escapeSlack(flat)}\``;
}

/** Event text in prose (the alert's output): escaped, without invisible controls, on one line. */
export function inertSlackText(text: string): string {
  return escapeSlack(text.replace(invisibleCharacters, '').replace(/\r\n|\r|\n/g, ' ⏎ '));
}

/**
 * Cuts escaped text to at most `max` characters without splitting an entity (`&amp;`) or a
 * surrogate pair, and says visibly that it was cut.
 */
export function truncateSlack(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = ` … [truncated, ${text.length} characters]`;
  let cut = Math.max(0, max - note.length);
  const amp = text.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 5 && !text.slice(amp, cut).includes(';')) cut = amp;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut)}${note}`;
}
