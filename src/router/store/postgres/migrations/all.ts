/** Every migration, in order. A new one is appended here with the next version; none is ever edited once released. */
import { initialSchema } from './001-initial-schema.ts';
import { pacingInFlight } from './002-pacing-in-flight.ts';
import { deliveriesInDoubt } from './003-deliveries-in-doubt.ts';
import { eventColumns } from './004-event-columns.ts';
import type { Migration } from './migration.ts';

export const migrations: readonly Migration[] = [initialSchema, pacingInFlight, deliveriesInDoubt, eventColumns];
