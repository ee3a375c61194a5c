/**
 * Whether a delivery's earlier attempt may have reached its receiver without its outcome being
 * recorded (a replica stopped or died mid-send), so the next attempt looks for the earlier message
 * first. A claim taken over from a replica whose lease ran out is in doubt as well; this column
 * keeps the cases a claim alone does not show.
 */
import type { Migration } from './migration.ts';

export const deliveriesInDoubt: Migration = {
  version: 3,
  name: 'deliveries: in doubt',
  sql: `
ALTER TABLE deliveries ADD COLUMN in_doubt BOOLEAN NOT NULL DEFAULT false;
`,
};
