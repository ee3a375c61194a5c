/**
 * The router's storage interface (design note `docs/design/router-store.md` §2): everything the
 * router keeps goes through a `RouterStore`, implemented on an embedded SQLite file
 * (`sqlite/sqlite-store.ts`, one process) and on PostgreSQL (`postgres/postgres-store.ts`, any
 * number of replicas). Every method is async and no caller's code runs inside a transaction: the
 * router prepares what an event means (routes, silence, inhibition keys, group keys) and the store
 * applies it with the shared rules of `noise/`, so both implementations count and mute alike.
 */
import type { GroupingOptions } from '../config.ts';
import type { ThreadRef } from '../notification.ts';

/** One delivery to plan for an accepted event. */
export interface PlannedDelivery {
  readonly receiver: string;
  readonly route: string;
  readonly idempotencyKey: string;
}

export type DeliveryState = 'pending' | 'sent' | 'dead';

/** Why an event is muted. */
export type MuteReason = { readonly kind: 'silence'; readonly ref: string } | { readonly kind: 'inhibit'; readonly ref: string };

/** An event's share in one aggregation group: one route, label values and receiver. */
export interface GroupedEvent {
  /** The group's identity: route path, label values and receiver. */
  readonly key: string;
  readonly route: string;
  /** The route's label, for metrics. */
  readonly routeLabel: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly receiver: string;
  readonly options: GroupingOptions;
  /** What makes samples distinct: the output line without its timestamp and priority. */
  readonly signature: string;
}

/** An inhibition rule's equal-key values, as one key. */
export interface InhibitionKey {
  readonly rule: string;
  readonly key: string;
}

/** An event as the router routed it, ready to store. */
export interface RoutedEvent {
  readonly uuid: string;
  /** A hash of the body as received: tells a re-post from another event reusing the uuid. */
  readonly fingerprint: string;
  readonly receivedAt: number;
  readonly json: string;
  /** Deliveries of receivers whose route does not group. */
  readonly immediate: readonly PlannedDelivery[];
  /** The groups the event counts in. */
  readonly grouped: readonly GroupedEvent[];
  /** The active silence (from the replica's cache) that matches it. */
  readonly silencedBy?: string;
  readonly inhibition: {
    /** Rules whose source it matches, and until when it inhibits. */
    readonly sources: readonly (InhibitionKey & { readonly until: number })[];
    /** Rules whose target it matches (not as a source), in rule order. */
    readonly targets: readonly InhibitionKey[];
  };
}

/** What `accept` did with an event. */
export interface AcceptResult {
  /** Deliveries planned for it now (grouped routes plan theirs later). */
  readonly deliveries: number;
  /** The uuid was already stored: nothing was stored or counted again. */
  readonly duplicate: boolean;
  /** The uuid was already stored with a different body: a different event reusing it, refused. */
  readonly conflict: boolean;
  readonly muted?: MuteReason;
  /** The earliest group notification the event made due, to arm the group timer. */
  readonly groupDueAt?: number;
}

/** A delivery due for an attempt, with its event's stored JSON. */
export interface DueDelivery {
  readonly id: number;
  readonly receiver: string;
  readonly route: string;
  readonly idempotencyKey: string;
  readonly attempts: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly eventJson: string;
  /** A group notification's payload, or null for a per-event delivery. */
  readonly payload: string | null;
}

/** A delivery as the API lists it. */
export interface DeliveryRecord {
  readonly id: number;
  readonly state: DeliveryState;
  readonly receiver: string;
  readonly route: string;
  readonly idempotencyKey: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly nextAttemptAt: string | null;
  readonly event: { readonly uuid: string; readonly rule: string; readonly priority: string };
}

export interface ClaimRequest {
  /** The claiming replica's name. */
  readonly replica: string;
  readonly now: number;
  /** How long the claim holds; it should outlast the slowest send (the receiver's timeout). */
  readonly leaseMs: number;
  readonly limit: number;
}

/** A delivery this replica now holds until `leaseUntil`. */
export interface ClaimedDelivery extends DueDelivery {
  readonly leaseUntil: number;
  /**
   * An earlier attempt may have reached the receiver without its outcome being recorded: the
   * process died or was stopped mid-send, or an attempt failed in a way that can hide a success
   * (a timeout). A receiver that can look for its earlier message does so before sending again.
   */
  readonly inDoubt: boolean;
}

/** How a delivery attempt ended. */
export type DeliveryOutcome =
  | { readonly kind: 'sent'; readonly now: number; readonly thread?: { readonly threadKey: string; readonly ref: ThreadRef } }
  | { readonly kind: 'retry'; readonly attempts: number; readonly at: number; readonly error: string; readonly now: number }
  | { readonly kind: 'dead'; readonly attempts: number; readonly error: string; readonly now: number };

/** Whether a pacing slot was taken, or how long to wait for one. */
export type SlotDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

/** One distinct event kept to show in a group's next notification. */
export interface GroupSample {
  readonly eventId: number;
  readonly signature: string;
  /** The stored event JSON. */
  readonly json: string;
}

/** The persisted state of one aggregation group. */
export interface GroupRecord {
  id: number;
  readonly key: string;
  readonly route: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly string[];
  /** The thread number: a new one starts when repeat_interval has passed since the last thread began. */
  epoch: number;
  /** When the current thread's first notification was planned; null before it. */
  threadStartedAt: number | null;
  /** Notifications planned in the current thread. */
  seq: number;
  /** Notifications planned over the group's life: orders its deliveries. */
  sent: number;
  firstSeen: number;
  lastSeen: number;
  /** Events in the current thread. */
  total: number;
  /** Events of the current thread covered by planned notifications. */
  notified: number;
  /** When the first event not yet notified was received. */
  windowStart: number | null;
  samples: GroupSample[];
  /** When the group is next due to notify; null when nothing new is waiting. */
  nextFlushAt: number | null;
  lastFlushAt: number | null;
}

/** What a flush of due groups planned. */
export interface FlushResult {
  readonly deliveries: number;
  /** One per group notification planned, for metrics. */
  readonly notifications: readonly { readonly route: string; readonly first: boolean }[];
}

/** A silence as stored. */
export interface Silence {
  readonly id: string;
  readonly condition: string;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** Where a reader of silence changes got to. */
export interface SilenceCursor {
  readonly updatedAt: number;
  readonly id: string;
}

/** An inhibition in force. */
export interface InhibitionRecord {
  readonly rule: string;
  readonly equal: string[];
  readonly until: number;
}

/** Which stored events to show (the UI's filters); every key is optional. */
export interface EventFilter {
  readonly rule?: string;
  readonly priority?: string;
  /** `k8s.ns.name` of the event's output fields. */
  readonly namespace?: string;
  readonly hostname?: string;
  /** Received at or after, in ms since the epoch. */
  readonly since?: number;
  /** Received before. */
  readonly until?: number;
}

/** A page of events: newest first before the id `before`, or oldest first after the id `after` (a live feed). */
export interface EventPage {
  readonly before?: number;
  readonly after?: number;
  readonly limit: number;
}

/** An event as stored, with why it was muted. */
export interface StoredEvent {
  readonly id: number;
  readonly uuid: string;
  readonly receivedAt: number;
  /** The stored event JSON (`serializeEvent`). */
  readonly json: string;
  readonly muted?: MuteReason;
}

/** Events per time bucket and priority, and per rule, for the events page's chart. */
export interface EventCounts {
  readonly buckets: readonly { readonly start: number; readonly priority: string; readonly count: number }[];
  readonly rules: readonly { readonly rule: string; readonly count: number }[];
}

/** Where a group's thread went for one receiver. */
export interface ThreadRecord {
  readonly threadKey: string;
  readonly receiver: string;
  readonly ref: ThreadRef;
}

export interface QueueCount {
  readonly state: DeliveryState;
  readonly receiver: string;
  readonly count: number;
}

/** The router's storage. */
export interface RouterStore {
  /** `sqlite` or `postgres`, for logs. */
  readonly kind: string;
  /** Closes after committing what is waiting. Safe to call twice. */
  close(): Promise<void>;
  /** Whether the store answers (the last probe's result): `/readyz`, and ingest refuses while false. */
  healthy(): boolean;

  /** Stores an event, its mute record, its group counts and its deliveries; resolves once committed. */
  accept(event: RoutedEvent): Promise<AcceptResult>;

  /** Claims up to `limit` pending deliveries of `receiver` due at `now` (a group's one at a time, in order). */
  claimDue(receiver: string, request: ClaimRequest): Promise<ClaimedDelivery[]>;
  /** Claims pending deliveries to receivers not in `known` created before `request.now`. */
  claimDueForUnknownReceivers(known: readonly string[], request: ClaimRequest): Promise<ClaimedDelivery[]>;
  /** Records an attempt's outcome; false when the claim was lost (another replica took the row over). */
  complete(id: number, replica: string, outcome: DeliveryOutcome): Promise<boolean>;
  /**
   * Gives back claims, so they are claimable at once: not started (a drain, no pacing slot), or
   * `started` and left without an outcome (aborted mid-send, bookkeeping failed), which makes them
   * in doubt.
   */
  releaseClaims(ids: readonly number[], replica: string, started: boolean): Promise<void>;
  /** Where a thread's first message went for a receiver, if it was sent. */
  thread(threadKey: string, receiver: string): Promise<ThreadRef | undefined>;

  /** How long `receiver`'s destination must wait before a send (0: now), without taking a slot. */
  pacingWait(receiver: string, now: number): Promise<number>;
  /** Takes a sending slot for `receiver`'s destination, durable before the send leaves. */
  takePacingSlot(receiver: string, now: number): Promise<SlotDecision>;
  /** A send taken with `takePacingSlot` was answered (or failed) at `answeredAt`. */
  settlePacingSlot(receiver: string, answeredAt: number): Promise<void>;
  /** Holds `receiver`'s destination (every receiver sharing it) until `until` (a Retry-After). */
  pauseDestination(receiver: string, until: number, now: number): Promise<void>;

  /** When the group timer should next fire (a due group, or a retirement check), if ever. */
  nextGroupTimer(now: number): Promise<number | undefined>;
  /** Plans the notifications of the groups due at `now`, and retires long-quiet groups. */
  flushDueGroups(replica: string, now: number): Promise<FlushResult>;
  listGroups(): Promise<GroupRecord[]>;

  createSilence(silence: Silence): Promise<void>;
  /** Ends a silence at `now`; undefined if there is none; an expired one is returned unchanged. */
  expireSilence(id: string, now: number): Promise<Silence | undefined>;
  /** Silences created or changed after `cursor` (all of them from `undefined`), and the new cursor. */
  silencesChangedSince(cursor: SilenceCursor | undefined): Promise<{ silences: Silence[]; cursor: SilenceCursor | undefined }>;
  listInhibitions(now: number): Promise<InhibitionRecord[]>;
  /** Events muted so far, by silence id or inhibit rule name. */
  mutedCounts(kind: MuteReason['kind']): Promise<Map<string, number>>;

  /** Deliveries in a state, newest first, before the id `before`. */
  listDeliveries(state: DeliveryState | undefined, limit: number, before?: number): Promise<DeliveryRecord[]>;
  /** Moves a dead delivery back to pending with a fresh budget; else says why not. */
  retryDead(id: number, now: number): Promise<'retried' | 'not-found' | DeliveryState>;
  /** Moves every dead delivery back to pending; returns how many. */
  retryAllDead(now: number): Promise<number>;
  /** The deliveries planned for one event (its own and the group notifications it opened), oldest first. */
  deliveriesOfEvent(eventId: number): Promise<DeliveryRecord[]>;

  /** Stored events matching `filter`, a page at a time (indexed: the UI lists 100,000 events). */
  listEvents(filter: EventFilter, page: EventPage): Promise<StoredEvent[]>;
  eventById(id: number): Promise<StoredEvent | undefined>;
  /** Counts of the events matching `filter`, per `bucketMs` bucket and priority, and per rule. */
  countEvents(filter: EventFilter, bucketMs: number): Promise<EventCounts>;
  /** Where the groups' threads went (Slack channel and ts), for the given thread keys. */
  threads(threadKeys: readonly string[]): Promise<ThreadRecord[]>;

  /** Counts by state and receiver (the shared queue depth). */
  queueCounts(): Promise<QueueCount[]>;
  /** How many events are stored. */
  eventCount(): Promise<number>;
  /** Deletes sent deliveries and orphaned events older than `before` and expired inhibitions, at most `limit` rows; returns the rows removed. */
  prune(before: number, limit: number): Promise<number>;
}
