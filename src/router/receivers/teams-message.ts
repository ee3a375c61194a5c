/**
 * A notification as a Microsoft Teams message for a Workflows webhook: one Adaptive Card (1.4)
 * with a title, the alert text, a FactSet (rule, priority, host, namespace, counts) and a group's
 * samples. Pure.
 *
 * Adaptive Card text is markdown (bold, italics, lists, links), so every event value is made inert:
 * markdown punctuation is backslash-escaped, `<`, `>` and `&` become look-alikes (‹ › ＆) that no
 * renderer reads as markup or an entity, bidirectional and zero-width controls are removed, and a
 * value stays on one line (a line break could start a list or a fake fact).
 */
import { invisibleCharacters } from '../invisible-characters.ts';
import { leadEvent, type Notification } from '../notification.ts';
import type { Priority } from '../priority.ts';
import { fieldText, mustParseTemplate, renderTemplate, type Template } from '../template.ts';
import { formatCount, groupHeadline, groupLabels, groupTimes, sampleLines } from './group-text.ts';

export type TeamsTemplates = {
  /** The card's title (bold). */
  readonly title: Template;
  /** The text under it. */
  readonly text: Template;
};

export const defaultTeamsTemplates: TeamsTemplates = {
  title: mustParseTemplate('{{priority}}: {{rule}}'),
  text: mustParseTemplate('{{message}}'),
};

/** Lengths that keep a card well under Teams' message size limit (about 28 KB). */
export const teamsLimits = { title: 200, text: 2000, fact: 300, sample: 400 } as const;

const lookAlikes: Readonly<Record<string, string>> = { '<': '‹', '>': '›', '&': '＆' };

/** Event text for Adaptive Card markdown: inert, on one line. */
export function inertTeamsText(text: string): string {
  return text
    .replace(invisibleCharacters, '')
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ⏎ ')
    .replace(/[<>&]/g, (char) => lookAlikes[char] ?? char)
    .replace(/[\\`*_{}[\]()#+\-!|~]/g, '\\$&')
    // "1. text" at the start would be a numbered list.
    .replace(/^(\d+)\./, '$1\\.');
}

/** Cuts escaped text to at most `max` characters without leaving half an escape or a surrogate pair. */
export function truncateTeams(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  let kept = text.slice(0, end);
  const trailing = /\\*$/.exec(kept)?.[0].length ?? 0;
  if (trailing % 2 === 1) kept = kept.slice(0, -1);
  return `${kept}…`;
}

/** Adaptive Card text colours by priority. */
const priorityColours: Readonly<Record<Priority, 'Attention' | 'Warning' | 'Accent' | 'Default'>> = {
  Emergency: 'Attention',
  Alert: 'Attention',
  Critical: 'Attention',
  Error: 'Attention',
  Warning: 'Warning',
  Notice: 'Accent',
  Informational: 'Default',
  Debug: 'Default',
};

export interface TeamsTextBlock {
  readonly type: 'TextBlock';
  readonly text: string;
  readonly wrap: true;
  readonly weight?: 'Bolder';
  readonly size?: 'Medium';
  readonly color?: string;
  readonly isSubtle?: true;
}

export interface TeamsFactSet {
  readonly type: 'FactSet';
  readonly facts: readonly { readonly title: string; readonly value: string }[];
}

/** The body a Workflows webhook takes: a message with one Adaptive Card attachment. */
export interface TeamsPayload {
  readonly type: 'message';
  readonly attachments: readonly {
    readonly contentType: 'application/vnd.microsoft.card.adaptive';
    readonly contentUrl: null;
    readonly content: {
      readonly $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
      readonly type: 'AdaptiveCard';
      readonly version: '1.4';
      readonly body: readonly (TeamsTextBlock | TeamsFactSet)[];
    };
  }[];
}

/** Builds the Workflows webhook body for a notification. */
export function formatTeamsMessage(notification: Notification, templates: TeamsTemplates = defaultTeamsTemplates): TeamsPayload {
  const event = leadEvent(notification);
  const inert = (text: string, max: number): string => truncateTeams(inertTeamsText(text), max);
  const title = truncateTeams(renderTemplate(templates.title, event, inertTeamsText), teamsLimits.title);
  const text = truncateTeams(renderTemplate(templates.text, event, inertTeamsText), teamsLimits.text);
  const body: (TeamsTextBlock | TeamsFactSet)[] = [{ type: 'TextBlock', text: title, wrap: true, weight: 'Bolder', size: 'Medium', color: priorityColours[event.priority] }];
  if (text.trim() !== '') body.push({ type: 'TextBlock', text, wrap: true });
  const facts: { title: string; value: string }[] = [
    { title: 'Rule', value: inert(event.rule, teamsLimits.fact) },
    { title: 'Priority', value: event.priority },
    { title: 'Host', value: inert(event.hostname === '' ? '<NA>' : event.hostname, teamsLimits.fact) },
  ];
  const namespace = event.outputFields['k8s.ns.name'];
  if (namespace !== undefined && namespace !== null) facts.push({ title: 'Namespace', value: inert(fieldText(namespace), teamsLimits.fact) });
  const group = notification.group;
  if (group !== undefined) {
    facts.push({ title: 'Events', value: inert(groupHeadline(group), teamsLimits.fact) });
    facts.push({ title: 'Total', value: formatCount(group.total) });
    const labels = groupLabels(group);
    if (labels !== '') facts.push({ title: 'Grouped by', value: inert(labels, teamsLimits.fact) });
  } else if (notification.events.length > 1) {
    facts.push({ title: 'Events', value: formatCount(notification.events.length) });
  }
  body.push({ type: 'FactSet', facts });
  if (group !== undefined || notification.events.length > 1) {
    const samples = sampleLines(notification.events).map((line) => `• ${inert(line, teamsLimits.sample)}`);
    body.push({ type: 'TextBlock', text: [`**Samples (${samples.length} distinct)**`, ...samples].join('\n\n'), wrap: true });
  }
  body.push({ type: 'TextBlock', text: inert(group !== undefined ? groupTimes(group) : `${event.time} · falx · ${event.uuid}`, teamsLimits.text), wrap: true, isSubtle: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body },
      },
    ],
  };
}
