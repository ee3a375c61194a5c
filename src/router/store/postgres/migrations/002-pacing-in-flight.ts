/**
 * Sends in flight per destination, cluster-wide: a destination allows at most `burst` sends at
 * once over every replica, so a slow answer is never overtaken and a Retry-After is known before
 * the next send leaves. `in_flight_until` bounds the count: a replica that dies mid-send leaves
 * its sends counted only until then.
 */
import type { Migration } from './migration.ts';

export const pacingInFlight: Migration = {
  version: 2,
  name: 'pacing: sends in flight',
  sql: `
ALTER TABLE pacing ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pacing ADD COLUMN in_flight_until BIGINT NOT NULL DEFAULT 0;
`,
};
