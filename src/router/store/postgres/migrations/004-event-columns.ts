/**
 * The values the UI filters events by, as stored generated columns over the event JSON, each
 * indexed with the id: a filtered page of events is an index range read at any table size.
 */
import type { Migration } from './migration.ts';

export const eventColumns: Migration = {
  version: 4,
  name: 'events: indexed rule, priority, hostname and namespace',
  sql: `
ALTER TABLE events
  ADD COLUMN ev_rule TEXT GENERATED ALWAYS AS ((body::jsonb) ->> 'rule') STORED,
  ADD COLUMN ev_priority TEXT GENERATED ALWAYS AS ((body::jsonb) ->> 'priority') STORED,
  ADD COLUMN ev_hostname TEXT GENERATED ALWAYS AS ((body::jsonb) ->> 'hostname') STORED,
  ADD COLUMN ev_namespace TEXT GENERATED ALWAYS AS ((body::jsonb) -> 'output_fields' ->> 'k8s.ns.name') STORED;
CREATE INDEX events_rule ON events (ev_rule, id);
CREATE INDEX events_priority ON events (ev_priority, id);
CREATE INDEX events_hostname ON events (ev_hostname, id);
CREATE INDEX events_namespace ON events (ev_namespace, id);
CREATE INDEX events_received_priority_rule ON events (received_at, ev_priority, ev_rule);
`,
};
