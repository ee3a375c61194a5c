/**
 * Formats a notification as an email: a subject safe for a header, a plain-text part and an HTML
 * part in which every event value is HTML-escaped. Pure: no I/O.
 */
import { createHash } from 'node:crypto';
import { invisibleCharacters } from '../invisible-characters.ts';
import { leadEvent, type Notification } from '../notification.ts';
import { mustParseTemplate, renderTemplate, type Template } from '../template.ts';
import { groupHeadline, groupLabels, groupTimes, sampleLines } from './group-text.ts';
import { priorityColours, orderedFields } from './slack-message.ts';

/** The configurable parts of an email. */
export type EmailTemplates = {
  readonly subject: Template;
  /** The opening paragraph of both parts. */
  readonly text: Template;
};

export const defaultEmailTemplates: EmailTemplates = {
  subject: mustParseTemplate('[{{priority}}] {{rule}} on {{hostname}}'),
  text: mustParseTemplate('{{message}}'),
};

/** What nodemailer needs besides the envelope. */
export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Derived from the idempotency key, so a retried send carries the same Message-ID and mail systems can drop the duplicate. */
  readonly messageId: string;
  /** For a group update: the Message-ID of the group's first mail, for `In-Reply-To` and `References`. */
  readonly inReplyTo?: string;
}

const subjectMax = 200;

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

/** Makes text safe for a header value: no CR, LF, other control or invisible characters, bounded length. */
export function headerSafe(text: string, max = subjectMax): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(invisibleCharacters, '').replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** Builds the subject, parts and Message-ID of a notification. */
export function formatEmailMessage(notification: Notification, templates: EmailTemplates = defaultEmailTemplates, domain = 'falx.invalid'): EmailMessage {
  const event = leadEvent(notification);
  const group = notification.group;
  const baseSubject = headerSafe(renderTemplate(templates.subject, event, (value) => value));
  // Updates keep the subject ("Re:") so that mail clients that thread by subject agree with the headers.
  const subject = group !== undefined && group.seq > 0 ? headerSafe(`Re: ${baseSubject}`) : baseSubject;
  const groupLines =
    group === undefined
      ? []
      : [groupHeadline(group), groupTimes(group), ...(groupLabels(group) !== '' ? [`Grouped by ${groupLabels(group)}`] : []), '', 'Samples:', ...sampleLines(notification.events).map((line) => `  ${line}`), ''];
  const intro = renderTemplate(templates.text, event, (value) => value);
  const introHtml = renderTemplate(templates.text, event, escapeHtml);
  const summary: [string, string][] = [
    ['Rule', event.rule],
    ['Priority', event.priority],
    ['Time', event.time],
    ['Source', event.source],
    ['Hostname', event.hostname === '' ? '<NA>' : event.hostname],
    ['Tags', event.tags.join(', ')],
  ];
  if (notification.events.length > 1 && group === undefined) summary.push(['Events', String(notification.events.length)]);
  const fields = orderedFields(event);
  const text = [
    ...groupLines,
    intro,
    '',
    ...summary.map(([name, value]) => `${name}: ${value}`),
    '',
    ...fields.map(([name, value]) => `${name}: ${value}`),
    '',
    `Event ${event.uuid}, routed by falx (${notification.route} -> ${notification.receiver}).`,
    '',
  ].join('\n');
  const row = ([name, value]: [string, string]): string =>
    `<tr><th align="left" style="padding:2px 12px 2px 0;font-family:monospace">${escapeHtml(name)}</th><td style="padding:2px 0;font-family:monospace;white-space:pre-wrap">${escapeHtml(value)}</td></tr>`;
  const html = [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">',
    `<div style="border-left:6px solid ${priorityColours[event.priority]};padding:4px 12px">`,
    `<h2 style="margin:4px 0">${escapeHtml(`${event.priority}: ${event.rule}`)}</h2>`,
    ...(group === undefined
      ? []
      : [
          `<p><strong>${escapeHtml(groupHeadline(group))}</strong><br>${escapeHtml(groupTimes(group))}${groupLabels(group) !== '' ? `<br>Grouped by ${escapeHtml(groupLabels(group))}` : ''}</p>`,
          `<ul>${sampleLines(notification.events).map((line) => `<li style="font-family:monospace">${escapeHtml(line)}</li>`).join('')}</ul>`,
        ]),
    `<p style="white-space:pre-wrap">${introHtml}</p>`,
    '</div>',
    `<table>${summary.map(row).join('')}</table>`,
    '<h3>Output fields</h3>',
    `<table>${fields.map(row).join('')}</table>`,
    `<p style="color:#666;font-size:small">Event ${escapeHtml(event.uuid)}, routed by falx.</p>`,
    '</body></html>',
    '',
  ].join('\n');
  const id = (key: string): string => `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
  if (group === undefined) return { subject, text, html, messageId: id(notification.idempotencyKey) };
  // A thread's first mail has an id derived from the thread, so updates can name it without waiting for it.
  const root = id(`${group.threadKey}/${notification.receiver}`);
  return group.seq === 0 ? { subject, text, html, messageId: root } : { subject, text, html, messageId: id(notification.idempotencyKey), inReplyTo: root };
}
