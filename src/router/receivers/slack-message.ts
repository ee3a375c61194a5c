/**
 * Formats a notification as a Slack `chat.postMessage` payload: Block Kit inside one attachment
 * coloured by priority, the fields that matter first, within Slack's limits (50 blocks, 3,000
 * characters a section text, 10 fields of 2,000 characters a section, 150 characters a header,
 * and about 12,000 characters of block text in all). Pure: no I/O.
 */
import type { FalcoEvent } from '../event.ts';
import { leadEvent, type Notification } from '../notification.ts';
import type { Priority } from '../priority.ts';
import { fieldText, mustParseTemplate, renderTemplate, type Template } from '../template.ts';
import { groupHeadline, groupLabels, groupTimes, groupTotals, sampleLines } from './group-text.ts';
import { escapeSlack, inertSlackText, inertSlackValue, truncateSlack } from './slack-escape.ts';

/** The configurable parts of a Slack message. */
export type SlackTemplates = {
  /** Header block (plain text). */
  readonly title: Template;
  /** Main section (mrkdwn). */
  readonly text: Template;
};

/** Built-in templates, after Alertmanager's `slack.default.title` / `slack.default.text`. */
export const defaultSlackTemplates: SlackTemplates = {
  title: mustParseTemplate('{{priority}}: {{rule}}'),
  text: mustParseTemplate('{{message}}'),
};

/** Falcosidekick's colours, so dashboards and habits carry over. */
export const priorityColours: Readonly<Record<Priority, string>> = {
  Emergency: '#e20b0b',
  Alert: '#ff5400',
  Critical: '#ff5400',
  Error: '#e20b0b',
  Warning: '#ffc700',
  Notice: '#5bffb5',
  Informational: '#68c2ff',
  Debug: '#ccfff2',
};

/** Output fields a responder looks at first, in this order; the rest follow alphabetically. */
export const importantFields = [
  'k8s.ns.name', 'k8s.pod.name', 'container.name', 'container.image.repository', 'container.id',
  'proc.cmdline', 'proc.name', 'proc.pname', 'proc.exepath', 'user.name', 'user.uid',
  'fd.name', 'fd.sip', 'fd.sport', 'fd.sip.name', 'evt.type',
] as const;

export const slackLimits = { blocks: 50, sectionText: 3000, fieldText: 2000, fieldsPerSection: 10, header: 150, totalText: 11_000 } as const;

type TextObject = { type: 'mrkdwn' | 'plain_text'; text: string };
/** A Block Kit block, as much of it as falx uses. */
export type SlackBlock =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'divider' };

/** The arguments of `chat.postMessage`. */
export interface SlackPayload {
  readonly channel: string;
  /** Notification and fallback text. */
  readonly text: string;
  readonly attachments: readonly { color: string; fallback: string; blocks: SlackBlock[] }[];
  readonly unfurl_links: false;
  readonly unfurl_media: false;
  /** Never turn `@channel` written in an event into a mention. */
  readonly link_names: false;
  readonly metadata: { event_type: string; event_payload: Record<string, string> };
  /** A reply in a group's thread. */
  readonly thread_ts?: string;
  readonly username?: string;
  readonly icon_emoji?: string;
}

export interface SlackMessageOptions {
  readonly channel: string;
  /** For a group: render the thread's running totals (the first message, as `chat.update` refreshes it). */
  readonly summary?: boolean;
  readonly templates?: SlackTemplates;
  readonly username?: string;
  readonly iconEmoji?: string;
}

function mrkdwn(text: string): TextObject {
  return { type: 'mrkdwn', text };
}

/** Output fields in reading order: the important ones first, then the rest by name. */
export function orderedFields(event: FalcoEvent): [string, string][] {
  const names = Object.keys(event.outputFields);
  const first = importantFields.filter((name) => names.includes(name));
  const rest = names.filter((name) => !first.includes(name as (typeof importantFields)[number])).sort();
  return [...first, ...rest].map((name) => [name, fieldText(event.outputFields[name])]);
}

/** Builds the `chat.postMessage` arguments for a notification. */
export function formatSlackMessage(notification: Notification, options: SlackMessageOptions): SlackPayload {
  const event = leadEvent(notification);
  const templates = options.templates ?? defaultSlackTemplates;
  // plain_text does not parse mentions, but escaping is harmless there and keeps one rule everywhere.
  const title = truncateSlack(renderTemplate(templates.title, event, escapeSlack), slackLimits.header);
  const text = truncateSlack(renderTemplate(templates.text, event, inertSlackText), slackLimits.sectionText);
  const blocks: SlackBlock[] = [{ type: 'header', text: { type: 'plain_text', text: title } }];
  let budget = slackLimits.totalText - title.length;
  if (text.trim() !== '') {
    blocks.push({ type: 'section', text: mrkdwn(text) });
    budget -= text.length;
  }
  const group = notification.group;
  if (group !== undefined) {
    // What the group amounts to, before the lead event's details.
    const headline = `*${escapeSlack(options.summary === true ? groupTotals(group) : groupHeadline(group))}* · ${escapeSlack(groupTimes(group))}${options.summary === true ? ' · updates in the thread' : ''}`;
    const labels = groupLabels(group);
    const samples = samplesText(notification);
    const lines = [headline, ...(labels !== '' ? [`Grouped by ${escapeSlack(labels)}`] : []), ...(samples !== '' ? [samples] : [])];
    const section = truncateSlack(lines.join('\n'), slackLimits.sectionText);
    blocks.push({ type: 'section', text: mrkdwn(section) });
    budget -= section.length;
  }
  const summary: [string, string][] = [
    ['Rule', event.rule],
    ['Priority', event.priority],
    ['Source', event.source],
    ['Hostname', event.hostname === '' ? '<NA>' : event.hostname],
  ];
  if (event.tags.length > 0) summary.push(['Tags', event.tags.join(', ')]);
  if (notification.events.length > 1 && group === undefined) summary.push(['Events', String(notification.events.length)]);
  const summaryFields = summary.map(([name, value]) => fieldObject(name, value));
  blocks.push({ type: 'section', fields: summaryFields });
  budget -= summaryFields.reduce((sum, field) => sum + field.text.length, 0);

  // Keep two blocks in hand: the "not shown" note and the context line.
  const fields = orderedFields(event);
  let shown = 0;
  let current: TextObject[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push({ type: 'section', fields: current });
    current = [];
  };
  for (const [name, value] of fields) {
    const field = fieldObject(name, value);
    if (budget - field.text.length < 0 || (blocks.length >= slackLimits.blocks - 3 && current.length === 0)) break;
    current.push(field);
    budget -= field.text.length;
    shown += 1;
    if (current.length === slackLimits.fieldsPerSection) flush();
  }
  flush();
  const context: TextObject[] = [mrkdwn(escapeSlack(`${event.time} · falx · ${event.uuid}`))];
  if (shown < fields.length) blocks.push({ type: 'context', elements: [mrkdwn(`_${fields.length - shown} more output fields not shown (Slack message limits)._`)] });
  blocks.push({ type: 'context', elements: context });

  const fallback = truncateSlack(`${title} ${group !== undefined ? `(${escapeSlack(options.summary === true ? groupTotals(group) : groupHeadline(group))}) ` : ''}${inertSlackText(event.message ?? event.output)}`, 3000);
  return {
    channel: options.channel,
    text: fallback,
    attachments: [{ color: priorityColours[event.priority], fallback, blocks }],
    unfurl_links: false,
    unfurl_media: false,
    link_names: false,
    metadata: { event_type: 'falx_notification', event_payload: metadataOf(notification, event) },
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.iconEmoji !== undefined ? { icon_emoji: options.iconEmoji } : {}),
  };
}

function fieldObject(name: string, value: string): TextObject {
  const label = `*${escapeSlack(name)}*\n`;
  return mrkdwn(`${label}${truncateSlack(inertSlackValue(value), slackLimits.fieldText - label.length)}`);
}

/** What a message says about itself, machine-readable: the key, and a group's counts. */
function metadataOf(notification: Notification, event: FalcoEvent): Record<string, string> {
  const payload: Record<string, string> = { idempotency_key: notification.idempotencyKey, rule: event.rule };
  const group = notification.group;
  if (group !== undefined) {
    payload['group_thread'] = group.threadKey;
    payload['seq'] = String(group.seq);
    payload['count'] = String(group.count);
    payload['total'] = String(group.total);
  }
  return payload;
}

/** The distinct samples as a quoted list, escaped and bounded. */
function samplesText(notification: Notification): string {
  const lines = sampleLines(notification.events).map((line) => `> ${truncateSlack(inertSlackText(line), 400)}`);
  return lines.length === 0 ? '' : `Samples (${lines.length} distinct):\n${lines.join('\n')}`;
}

/**
 * A group update as a reply in the group's thread: the headline (how many more, over what time,
 * the total), the times and the distinct samples. Short: the details are in the first message.
 */
export function formatSlackThreadReply(notification: Notification, options: SlackMessageOptions, threadTs: string): SlackPayload {
  const event = leadEvent(notification);
  const group = notification.group;
  const headline = group === undefined ? escapeSlack(event.rule) : `*${escapeSlack(groupHeadline(group))}* · ${escapeSlack(groupTimes(group))}`;
  const samples = samplesText(notification);
  const text = truncateSlack([headline, ...(samples !== '' ? [samples] : [])].join('\n'), slackLimits.sectionText);
  const fallback = truncateSlack(`${escapeSlack(event.rule)}: ${group === undefined ? '' : escapeSlack(groupHeadline(group))}`, 3000);
  return {
    channel: options.channel,
    text: fallback,
    attachments: [{ color: priorityColours[event.priority], fallback, blocks: [{ type: 'section', text: mrkdwn(text) }] }],
    unfurl_links: false,
    unfurl_media: false,
    link_names: false,
    metadata: { event_type: 'falx_notification', event_payload: metadataOf(notification, event) },
    thread_ts: threadTs,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.iconEmoji !== undefined ? { icon_emoji: options.iconEmoji } : {}),
  };
}
