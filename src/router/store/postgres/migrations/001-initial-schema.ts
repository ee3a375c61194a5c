/**
 * The first schema: what the SQLite store keeps (outbox, aggregation groups and their thread
 * references, silences, inhibitions, mute records), plus what several replicas on one database
 * need: a uuid stored once cluster-wide, delivery leases for `FOR UPDATE SKIP LOCKED` claims,
 * group timer ownership, and one pacing row per destination (a Slack channel).
 *
 * Times are epoch milliseconds (BIGINT), as in SQLite, taken from the router's clock: the store's
 * callers pass `now`, so tests drive it, and replicas compare leases with their own clocks (a lease
 * lasts far longer than the skew NTP leaves). JSON stays TEXT, byte for byte as SQLite keeps it.
 */
import type { Migration } from './migration.ts';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
CREATE TABLE events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  uuid TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  body TEXT NOT NULL,
  -- A hash of the event as received: tells a re-post (same body) from another event reusing a uuid.
  body_hash TEXT,
  -- Once cluster-wide: two replicas storing the same uuid at once cannot both succeed.
  CONSTRAINT events_uuid_once UNIQUE (uuid)
);
CREATE INDEX events_received ON events (received_at);

CREATE TABLE deliveries (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id BIGINT NOT NULL REFERENCES events (id),
  receiver TEXT NOT NULL,
  route TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  last_error TEXT,
  -- A group notification's JSON; null for a per-event delivery.
  payload TEXT,
  -- A group's deliveries to one receiver go one at a time, in seq order (one Slack thread).
  group_key TEXT,
  seq INTEGER,
  -- The replica sending it and until when: another replica takes it over once the lease has passed.
  claimed_by TEXT,
  lease_until BIGINT,
  CONSTRAINT deliveries_idempotency_once UNIQUE (idempotency_key),
  CONSTRAINT deliveries_lease_whole CHECK ((claimed_by IS NULL) = (lease_until IS NULL))
);
CREATE INDEX deliveries_receiver_due ON deliveries (receiver, next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_state_receiver ON deliveries (state, receiver);
CREATE INDEX deliveries_event ON deliveries (event_id);
CREATE INDEX deliveries_group ON deliveries (group_key, receiver, seq) WHERE state = 'pending' AND group_key IS NOT NULL;
CREATE INDEX deliveries_sent_age ON deliveries (updated_at) WHERE state = 'sent';

CREATE TABLE groups (
  -- Never reused: notification keys, thread keys and delivery order name groups by id.
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  group_key TEXT NOT NULL,
  route TEXT NOT NULL,
  labels TEXT NOT NULL,
  receivers TEXT NOT NULL,
  epoch INTEGER NOT NULL DEFAULT 0,
  thread_started_at BIGINT,
  seq INTEGER NOT NULL DEFAULT 0,
  sent INTEGER NOT NULL DEFAULT 0,
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  total BIGINT NOT NULL DEFAULT 0,
  notified BIGINT NOT NULL DEFAULT 0,
  window_start BIGINT,
  samples TEXT NOT NULL DEFAULT '[]',
  -- The group's timer: when it next notifies (null: nothing new waiting).
  next_flush_at BIGINT,
  last_flush_at BIGINT,
  -- The replica that holds the timer and until when; after that any replica may fire it.
  claimed_by TEXT,
  lease_until BIGINT,
  CONSTRAINT groups_key_once UNIQUE (group_key),
  CONSTRAINT groups_lease_whole CHECK ((claimed_by IS NULL) = (lease_until IS NULL))
);
CREATE INDEX groups_due ON groups (next_flush_at) WHERE next_flush_at IS NOT NULL;
CREATE INDEX groups_quiet ON groups (last_seen) WHERE next_flush_at IS NULL;

CREATE TABLE notification_log (
  thread_key TEXT NOT NULL,
  receiver TEXT NOT NULL,
  ref TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (thread_key, receiver)
);

CREATE TABLE silences (
  id TEXT PRIMARY KEY,
  condition TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- Replicas reload what changed since they last looked.
CREATE INDEX silences_updated ON silences (updated_at);

CREATE TABLE inhibitions (
  rule TEXT NOT NULL,
  equal_key TEXT NOT NULL,
  until BIGINT NOT NULL,
  PRIMARY KEY (rule, equal_key)
);
CREATE INDEX inhibitions_until ON inhibitions (until);

CREATE TABLE event_mutes (
  event_id BIGINT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('silence', 'inhibit')),
  ref TEXT NOT NULL
);
CREATE INDEX event_mutes_ref ON event_mutes (kind, ref);

-- One row per destination (receivers' pacing key: a Slack channel), shared by every replica.
CREATE TABLE pacing (
  destination TEXT PRIMARY KEY,
  -- The theoretical arrival time of the next message (GCRA): a slot is free when it is no later
  -- than now plus the burst's tolerance.
  not_before BIGINT NOT NULL,
  -- Retry-After: nothing is sent to the destination before this.
  paused_until BIGINT NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);
`,
};
