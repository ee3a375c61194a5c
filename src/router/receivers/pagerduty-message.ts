/**
 * The PagerDuty Events API v2 `trigger` event for a notification. A group's notifications share
 * one `dedup_key` (the group's key), so a storm is one PagerDuty alert whose details update; a
 * single event's key is its uuid. The body is JSON and PagerDuty shows its fields as plain text;
 * the summary, its headline, is also kept on one line without invisible controls. Pure.
 */
import { createHash } from 'node:crypto';
import type { FieldValue } from '../event.ts';
import { invisibleCharacters } from '../invisible-characters.ts';
import { leadEvent, type Notification } from '../notification.ts';
import type { Priority } from '../priority.ts';
import { mustParseTemplate, renderTemplate, type Template } from '../template.ts';
import { sampleLines } from './group-text.ts';

export type PagerDutyTemplates = {
  /** The alert's headline (at most 1,024 characters). */
  readonly summary: Template;
};

export const defaultPagerDutyTemplates: PagerDutyTemplates = {
  summary: mustParseTemplate('{{rule}}: {{message}}'),
};

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** PagerDuty has four severities; Falco's three most severe priorities page as critical. */
export const pagerDutySeverity: Readonly<Record<Priority, PagerDutySeverity>> = {
  Emergency: 'critical',
  Alert: 'critical',
  Critical: 'critical',
  Error: 'error',
  Warning: 'warning',
  Notice: 'info',
  Informational: 'info',
  Debug: 'info',
};

/** PagerDuty's limits: a summary of 1,024 characters, a dedup_key of 255. */
export const pagerDutyLimits = { summary: 1024, dedupKey: 255 } as const;

export interface PagerDutyEvent {
  readonly routing_key: string;
  readonly event_action: 'trigger';
  readonly dedup_key: string;
  readonly client: 'falx';
  readonly payload: {
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp: string;
    readonly component?: string;
    readonly group?: string;
    readonly class: string;
    readonly custom_details: Record<string, unknown>;
  };
}

/** One line, no bidirectional or zero-width controls. */
function oneLine(text: string): string {
  return text.replace(invisibleCharacters, '').replace(/[\r\n\u2028\u2029]+/g, ' ⏎ ');
}

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * The dedup_key: the group's key (its NUL separators as "/"), or the event's uuid. A key over
 * PagerDuty's limit, or with a control character from a group_by value, becomes its digest.
 */
export function pagerDutyDedupKey(notification: Notification): string {
  const group = notification.group;
  const key = group === undefined ? leadEvent(notification).uuid : group.key.replace(/\u0000/g, '/');
  // eslint-disable-next-line no-control-regex
  const usable = key.length <= pagerDutyLimits.dedupKey && !/[\u0000-\u001f\u007f]/.test(key);
  return usable ? key : `falx-sha256:${createHash('sha256').update(group?.key ?? key).digest('hex')}`;
}

/** An output field's value when it names something (not absent, not `<NA>`). */
function named(value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null || Array.isArray(value)) return undefined;
  const text = String(value);
  return text === '' || text === '<NA>' ? undefined : oneLine(text);
}

/** Builds the Events API v2 body. */
export function formatPagerDutyEvent(notification: Notification, routingKey: string, templates: PagerDutyTemplates = defaultPagerDutyTemplates): PagerDutyEvent {
  const event = leadEvent(notification);
  const fields = event.outputFields;
  const component = named(fields['container.name']) ?? named(fields['proc.name']);
  const group = named(fields['k8s.ns.name']);
  const notice = notification.group;
  const time = Date.parse(event.time);
  const details: Record<string, unknown> = {
    rule: event.rule,
    priority: event.priority,
    source: event.source,
    tags: [...event.tags],
    output: event.output,
    output_fields: { ...fields },
    uuid: event.uuid,
    route: notification.route,
  };
  if (notice !== undefined) {
    details['events_in_this_update'] = notice.count;
    details['events_total'] = notice.total;
    details['first_seen'] = new Date(notice.firstSeen).toISOString();
    details['last_seen'] = new Date(notice.lastSeen).toISOString();
    details['grouped_by'] = { ...notice.labels };
    details['samples'] = sampleLines(notification.events);
  }
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: pagerDutyDedupKey(notification),
    client: 'falx',
    payload: {
      summary: cut(oneLine(renderTemplate(templates.summary, event, oneLine)), pagerDutyLimits.summary),
      // PagerDuty requires a source; an event without a hostname names its Falco source instead.
      source: event.hostname === '' ? oneLine(event.source) : oneLine(event.hostname),
      severity: pagerDutySeverity[event.priority],
      timestamp: Number.isNaN(time) ? event.time : new Date(time).toISOString(),
      ...(component !== undefined ? { component } : {}),
      ...(group !== undefined ? { group } : {}),
      class: oneLine(event.rule),
      custom_details: details,
    },
  };
}
