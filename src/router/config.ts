/**
 * The router configuration: YAML read with node ranges, validated in one pass into a typed
 * `RouterConfig`, every problem reported as a `Diagnostic` with file:line:col. Route options are
 * inherited from the parent here, so the route tree receives complete nodes.
 */
import { createSecureContext } from 'node:tls';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../diagnostics/sort.ts';
import { ConfigReader } from './config-reader.ts';
import { readInhibitRules, type InhibitRuleConfig } from './noise/inhibition.ts';
import { readMatch, type MatchCondition } from './matchers.ts';
import { receiverTypes, type ReceiverBuilder } from './receivers/registry.ts';
import type { Secret, SecretSource } from './secret.ts';
import { readPostgresStorage, type PostgresStorageConfig } from './store/postgres/config.ts';

/** TLS for the listener; client certificates are verified against `clientCa` when given. */
export interface TlsConfig {
  readonly cert: Secret | 'unresolved';
  readonly key: Secret | 'unresolved';
  readonly clientCa?: Secret | 'unresolved';
  /** Refuse connections without a valid client certificate (mutual TLS). */
  readonly requireClientCert: boolean;
}

export interface ListenConfig {
  readonly host: string;
  readonly port: number;
  readonly tls?: TlsConfig;
}

/**
 * Who may post events and who may use the API. Ingest credentials (path secrets, `tokens`) sit in
 * Falco's and Falcosidekick's configuration and Falco's URL: they only post events. The API
 * (silences, deliveries, retries) takes `api_tokens`. With no credential at all, anyone who can
 * connect may do both.
 */
export interface AuthConfig {
  /** Secrets accepted as the last path segment (`POST /events/<secret>`), for Falco, which cannot send headers. */
  readonly pathSecrets: readonly (Secret | 'unresolved')[];
  /** Bearer tokens (`Authorization: Bearer <token>`) for posting events (Falcosidekick). */
  readonly tokens: readonly (Secret | 'unresolved')[];
  /** Bearer tokens for `/api` (silences, deliveries, retries). */
  readonly apiTokens: readonly (Secret | 'unresolved')[];
  /**
   * A configuration written before `api_tokens` existed: its `tokens` still open the API (with
   * warning FX7013), so upgrading does not lock its operators out. Path secrets never do.
   */
  readonly legacyTokensOpenApi: boolean;
}

export interface LimitsConfig {
  readonly maxBodyBytes: number;
  /** Requests per second per client, and the burst allowed above it. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  /** The longest a silence may last: a forgotten silence must not hide alerts for months. */
  readonly maxSilenceMs: number;
}

export interface StorageConfig {
  /** The SQLite file (created if missing). */
  readonly path: string;
  /** `full` syncs every commit to disk; `normal` survives a crash of falx but not of the machine. */
  readonly synchronous: 'full' | 'normal';
  /** The PostgreSQL store instead of the SQLite file (several replicas on one database). */
  readonly postgres?: PostgresStorageConfig;
}

export interface DeliveryConfig {
  readonly maxAttempts: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** A delivery still failing after this long goes to the dead-letter state. */
  readonly maxAgeMs: number;
  readonly concurrency: number;
  /** Sends in flight at once to one receiver, so that a hung or paced one cannot take every slot. */
  readonly receiverConcurrency: number;
  readonly pollIntervalMs: number;
  /** How long shutdown waits for in-flight sends. */
  readonly drainTimeoutMs: number;
}

/**
 * Grouping options, inherited down the tree. Grouping is on for a route when it or an ancestor
 * sets `group_by` (`group_by: []` puts all of a route's events in one group; `group_by: ['...']`
 * turns grouping off again, one notification per event, as without any `group_by`).
 */
export interface GroupingOptions {
  readonly enabled: boolean;
  readonly groupBy: readonly string[];
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
}

/** A route with its inherited options resolved. */
export interface RouteConfig {
  /** `root`, `root.0`, `root.0.1`: stable for a given file, used in metrics and delivery keys. */
  readonly path: string;
  /** The route's `name`, or its path. */
  readonly label: string;
  readonly match?: MatchCondition;
  readonly receivers: readonly string[];
  readonly continue: boolean;
  readonly grouping: GroupingOptions;
  readonly routes: readonly RouteConfig[];
}

export interface ReceiverConfig {
  readonly name: string;
  readonly type: string;
  readonly build: ReceiverBuilder;
}

export interface RouterConfig {
  readonly file: string;
  readonly listen: ListenConfig;
  readonly auth: AuthConfig;
  readonly limits: LimitsConfig;
  readonly storage: StorageConfig;
  readonly delivery: DeliveryConfig;
  readonly receivers: readonly ReceiverConfig[];
  readonly route: RouteConfig;
  readonly inhibitRules: readonly InhibitRuleConfig[];
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export type ConfigResult = { readonly config: RouterConfig | undefined; readonly diagnostics: readonly Diagnostic[] };

/** Alertmanager's defaults. */
export const defaultGrouping: GroupingOptions = { enabled: false, groupBy: [], groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 };

const topKeys = ['listen', 'auth', 'limits', 'storage', 'delivery', 'receivers', 'route', 'inhibit_rules', 'log_level'];
const routeKeys = ['name', 'match', 'receivers', 'receiver', 'continue', 'group_by', 'group_wait', 'group_interval', 'repeat_interval', 'routes'];

/**
 * Reads a router configuration. With `secrets` undefined (`--check`), secret references are
 * validated but not resolved.
 */
export function loadRouterConfig(text: string, file: string, secrets: SecretSource | undefined): ConfigResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const reader = new ConfigReader(file, text, lines, secrets);
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.map((error) => diagnostic('FX1003', reader.spanAt(error.pos[0], error.pos[1]), { detail: error.message.split('\n')[0] ?? error.message }));
    return { config: undefined, diagnostics };
  }
  const root = doc.contents;
  const top = root === null ? undefined : reader.map(root as Node, 'The router configuration');
  if (top === undefined) return { config: undefined, diagnostics: reader.diagnostics };
  reader.checkKeys(top, topKeys, 'the router configuration');

  const listen = readListen(reader, top);
  const auth = readAuth(reader, top);
  const limits = readLimits(reader, top);
  const storage = readStorage(reader, top);
  const delivery = readDelivery(reader, top);
  // A receiver whose settings have errors is still defined: routes naming it must not add "not defined".
  const { receivers, names } = readReceivers(reader, top);
  const used = new Set<string>();
  const routeNode = reader.node(top, 'route');
  let route: RouteConfig | undefined;
  if (routeNode === undefined) reader.missing(top, 'route', 'the router configuration');
  else route = readRoute(reader, routeNode, 'root', undefined, names, used);
  const inhibitRules = readInhibitRules(reader, top);
  for (const receiver of receivers) {
    if (!used.has(receiver.name)) reader.report('FX7009', receiverNode(reader, top, receiver.name), { name: receiver.name });
  }
  const logLevelText = reader.string(top, 'log_level', 'the router configuration') ?? 'info';
  const logLevel = (['debug', 'info', 'warn', 'error'] as const).find((level) => level === logLevelText);
  if (logLevel === undefined) reader.report('FX7002', reader.node(top, 'log_level'), { detail: '"log_level" must be debug, info, warn or error.' });

  const diagnostics = sortDiagnostics(reader.diagnostics);
  if (diagnostics.some((d) => d.severity === 'error') || route === undefined || listen === undefined || logLevel === undefined) return { config: undefined, diagnostics };
  return { config: { file, listen, auth, limits, storage, delivery, receivers, route, inhibitRules, logLevel }, diagnostics };
}

function section(reader: ConfigReader, top: YAMLMap<unknown, unknown>, key: string, keys: readonly string[]): YAMLMap<unknown, unknown> | undefined {
  const node = reader.node(top, key);
  if (node === undefined) return undefined;
  const map = reader.map(node, `"${key}"`);
  if (map) reader.checkKeys(map, keys, `"${key}"`);
  return map;
}

function readListen(reader: ConfigReader, top: YAMLMap<unknown, unknown>): ListenConfig | undefined {
  const map = section(reader, top, 'listen', ['host', 'port', 'tls']);
  const host = (map && reader.string(map, 'host', '"listen"')) ?? '127.0.0.1';
  const port = (map && reader.number(map, 'port', '"listen"', 0, 65535)) ?? 2802;
  const tlsNode = map && reader.node(map, 'tls');
  if (tlsNode === undefined) return { host, port };
  const tls = reader.map(tlsNode, '"tls" in "listen"');
  if (tls === undefined) return undefined;
  const where = '"tls" in "listen"';
  reader.checkKeys(tls, ['cert', 'key', 'client_ca', 'require_client_cert'], where);
  const cert = reader.secret(tls, 'cert', where);
  const key = reader.secret(tls, 'key', where);
  if (!reader.has(tls, 'cert')) reader.missing(tls, 'cert', where);
  if (!reader.has(tls, 'key')) reader.missing(tls, 'key', where);
  const clientCa = reader.secret(tls, 'client_ca', where);
  const requireClientCert = reader.boolean(tls, 'require_client_cert', where) ?? clientCa !== undefined;
  if (requireClientCert && !reader.has(tls, 'client_ca')) reader.missing(tls, 'client_ca', `${where} (require_client_cert is true)`);
  if (cert === undefined || key === undefined) return undefined;
  const unusable = tlsMaterialProblem(cert, key, clientCa);
  if (unusable !== undefined) {
    const material = clientCa === undefined ? 'certificate and key' : 'certificate, key and client CA';
    reader.report('FX7002', reader.node(tls, 'cert'), { detail: `The TLS ${material} in "listen" cannot be used: ${unusable}.` });
    return undefined;
  }
  return { host, port, tls: { cert, key, ...(clientCa !== undefined ? { clientCa } : {}), requireClientCert } };
}

/**
 * Loads resolved TLS material as the listener will, so that a certificate that is not PEM, or a
 * key that does not belong to it, is refused here (and by `serve --check`) rather than at start.
 */
function tlsMaterialProblem(cert: Secret | 'unresolved', key: Secret | 'unresolved', clientCa: Secret | 'unresolved' | undefined): string | undefined {
  if (cert === 'unresolved' || key === 'unresolved' || clientCa === 'unresolved') return undefined;
  try {
    createSecureContext({ cert: cert.reveal(), key: key.reveal(), ...(clientCa !== undefined ? { ca: clientCa.reveal() } : {}) });
    return undefined;
  } catch (error) {
    // OpenSSL's reason ("PEM routines::no start line", "key values mismatch"), never the material.
    return error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:/, '') : String(error);
  }
}

function readAuth(reader: ConfigReader, top: YAMLMap<unknown, unknown>): AuthConfig {
  const map = section(reader, top, 'auth', ['path_secret', 'path_secrets', 'token', 'tokens', 'api_token', 'api_tokens']);
  if (map === undefined) return { pathSecrets: [], tokens: [], apiTokens: [], legacyTokensOpenApi: false };
  const located: { secret: Secret; node: Node; api: boolean }[] = [];
  const many = (single: string, plural: string): (Secret | 'unresolved')[] => {
    const values: (Secret | 'unresolved')[] = [];
    const add = (node: Node, where: string): void => {
      const secret = reader.secretAt(node, where);
      if (secret === undefined) return;
      values.push(secret);
      if (secret !== 'unresolved') located.push({ secret, node, api: single === 'api_token' });
    };
    const one = reader.node(map, single);
    if (one !== undefined) add(one, `"${single}" in "auth"`);
    const list = reader.node(map, plural);
    if (list !== undefined) {
      const seq = reader.seq(list, `"${plural}" in "auth"`);
      for (const item of seq?.items ?? []) add(item as Node, `an item of "${plural}" in "auth"`);
    }
    return values;
  };
  const pathSecrets = many('path_secret', 'path_secrets');
  const tokens = many('token', 'tokens');
  const apiTokens = many('api_token', 'api_tokens');
  // One value in both roles would make the ingest credential an admin credential again.
  for (const api of located.filter((entry) => entry.api)) {
    if (located.some((entry) => !entry.api && entry.secret.reveal() === api.secret.reveal())) {
      reader.report('FX7002', api.node, { detail: 'An API token must differ from every ingest credential (path_secret, tokens): those are stored in Falco and Falcosidekick, and Falco\'s is part of a URL.' });
    }
  }
  const hasIngest = reader.has(map, 'path_secret') || reader.has(map, 'path_secrets') || reader.has(map, 'token') || reader.has(map, 'tokens');
  const hasApi = reader.has(map, 'api_token') || reader.has(map, 'api_tokens');
  if (hasApi && !hasIngest) {
    reader.report('FX7002', reader.node(map, reader.has(map, 'api_token') ? 'api_token' : 'api_tokens'), { detail: 'With "api_tokens" alone every event would be refused: add a "path_secret" or "tokens" for Falco and Falcosidekick.' });
  }
  const legacyTokensOpenApi = !hasApi && (reader.has(map, 'token') || reader.has(map, 'tokens'));
  if (legacyTokensOpenApi) reader.report('FX7013', reader.node(map, reader.has(map, 'token') ? 'token' : 'tokens'));
  return { pathSecrets, tokens, apiTokens, legacyTokensOpenApi };
}

function readLimits(reader: ConfigReader, top: YAMLMap<unknown, unknown>): LimitsConfig {
  const map = section(reader, top, 'limits', ['max_body', 'rate_limit', 'max_silence']);
  const maxBodyBytes = (map && reader.bytes(map, 'max_body', '"limits"')) ?? 256 * 1024;
  let rateLimit = { perSecond: 5000, burst: 10_000 };
  const rateNode = map && reader.node(map, 'rate_limit');
  if (rateNode !== undefined) {
    const rate = reader.map(rateNode, '"rate_limit" in "limits"');
    if (rate) {
      reader.checkKeys(rate, ['per_second', 'burst'], '"rate_limit"');
      rateLimit = {
        perSecond: reader.number(rate, 'per_second', '"rate_limit"', 0.001, 10_000_000) ?? rateLimit.perSecond,
        burst: reader.number(rate, 'burst', '"rate_limit"', 1, 10_000_000) ?? rateLimit.burst,
      };
    }
  }
  const maxSilenceMs = (map && reader.durationAtLeast(map, 'max_silence', '"limits"', 60_000)) ?? 7 * 86_400_000;
  return { maxBodyBytes, rateLimit, maxSilenceMs };
}

function readStorage(reader: ConfigReader, top: YAMLMap<unknown, unknown>): StorageConfig {
  const map = section(reader, top, 'storage', ['path', 'synchronous', 'postgres']);
  const path = (map && reader.string(map, 'path', '"storage"')) ?? 'falx-outbox.sqlite';
  const sync = (map && reader.string(map, 'synchronous', '"storage"')) ?? 'full';
  if (sync !== 'full' && sync !== 'normal') reader.report('FX7002', map && reader.node(map, 'synchronous'), { detail: '"synchronous" must be full or normal.' });
  const postgres = map && readPostgresStorage(reader, map);
  return { path, synchronous: sync === 'normal' ? 'normal' : 'full', ...(postgres !== undefined ? { postgres } : {}) };
}

function readDelivery(reader: ConfigReader, top: YAMLMap<unknown, unknown>): DeliveryConfig {
  const map = section(reader, top, 'delivery', ['max_attempts', 'initial_backoff', 'max_backoff', 'max_age', 'concurrency', 'receiver_concurrency', 'poll_interval', 'drain_timeout']);
  const where = '"delivery"';
  const initialBackoffMs = (map && reader.durationAtLeast(map, 'initial_backoff', where, 1)) ?? 1000;
  const maxBackoffMs = (map && reader.durationAtLeast(map, 'max_backoff', where, 1)) ?? Math.max(300_000, initialBackoffMs);
  if (map !== undefined && maxBackoffMs < initialBackoffMs) {
    reader.report('FX7002', reader.node(map, 'max_backoff') ?? reader.node(map, 'initial_backoff'), { detail: '"max_backoff" in "delivery" must not be shorter than "initial_backoff".' });
  }
  const concurrency = (map && reader.integer(map, 'concurrency', where, 1, 256)) ?? 8;
  // Half the slots by default: a hung receiver leaves the other half to everyone else.
  const receiverConcurrency = (map && reader.integer(map, 'receiver_concurrency', where, 1, 256)) ?? Math.max(1, Math.ceil(concurrency / 2));
  if (map !== undefined && receiverConcurrency > concurrency) {
    reader.report('FX7002', reader.node(map, 'receiver_concurrency'), { detail: '"receiver_concurrency" in "delivery" must not exceed "concurrency".' });
  }
  return {
    maxAttempts: (map && reader.integer(map, 'max_attempts', where, 1, 1000)) ?? 20,
    initialBackoffMs,
    maxBackoffMs,
    maxAgeMs: (map && reader.durationAtLeast(map, 'max_age', where, 1)) ?? 86_400_000,
    concurrency,
    receiverConcurrency,
    pollIntervalMs: (map && reader.durationAtLeast(map, 'poll_interval', where, 1)) ?? 1000,
    drainTimeoutMs: (map && reader.duration(map, 'drain_timeout')) ?? 10_000,
  };
}

/** The receivers that could be built, and the names of all defined ones (built or not). */
function readReceivers(reader: ConfigReader, top: YAMLMap<unknown, unknown>): { receivers: ReceiverConfig[]; names: ReadonlySet<string> } {
  const node = reader.node(top, 'receivers');
  if (node === undefined) {
    reader.missing(top, 'receivers', 'the router configuration');
    return { receivers: [], names: new Set() };
  }
  const seq = reader.seq(node, '"receivers"');
  const receivers: ReceiverConfig[] = [];
  const seen = new Set<string>();
  for (const item of seq?.items ?? []) {
    const map = reader.map(item as Node, 'A receiver');
    if (map === undefined) continue;
    const name = reader.string(map, 'name', 'a receiver');
    const type = reader.string(map, 'type', 'a receiver');
    if (name === undefined) reader.missing(map, 'name', 'a receiver');
    if (type === undefined) reader.missing(map, 'type', 'a receiver');
    if (name === undefined || type === undefined) continue;
    if (seen.has(name)) reader.report('FX7005', reader.node(map, 'name'), { name });
    seen.add(name);
    const parse = receiverTypes[type];
    if (parse === undefined) {
      reader.report('FX7006', reader.node(map, 'type'), { type, known: Object.keys(receiverTypes).join(', ') });
      continue;
    }
    const build = parse(reader, map, `receiver "${name}"`);
    if (build !== undefined) receivers.push({ name, type, build });
  }
  return { receivers, names: seen };
}

function receiverNode(reader: ConfigReader, top: YAMLMap<unknown, unknown>, name: string): Node | undefined {
  const seq = reader.node(top, 'receivers');
  if (!isSeq(seq)) return undefined;
  for (const item of seq.items) {
    if (isMap(item)) {
      const nameNode = reader.node(item, 'name');
      if (isScalar(nameNode) && nameNode.value === name) return nameNode;
    }
  }
  return undefined;
}

function readRoute(reader: ConfigReader, node: Node, path: string, parent: RouteConfig | undefined, names: ReadonlySet<string>, used: Set<string>): RouteConfig | undefined {
  const where = parent === undefined ? 'the root route' : `route ${path}`;
  const map = reader.map(node, `The route ${path}`);
  if (map === undefined) return undefined;
  reader.checkKeys(map, routeKeys, where);
  let match: MatchCondition | undefined;
  const matchNode = reader.node(map, 'match');
  if (matchNode !== undefined) {
    if (parent === undefined) reader.report('FX7002', matchNode, { detail: 'The root route matches every event; put "match" on its child routes.' });
    else match = readMatch(reader, matchNode);
  }
  let receivers = parent?.receivers ?? [];
  for (const key of ['receivers', 'receiver']) {
    const list = reader.stringList(map, key, where);
    if (list === undefined) continue;
    list.values.forEach((name, index) => {
      if (!names.has(name)) reader.report('FX7004', list.nodes[index], { name }, names.size > 0 ? `Defined receivers: ${[...names].join(', ')}.` : undefined);
    });
    receivers = list.values;
  }
  if (parent === undefined && receivers.length === 0) reader.report('FX7012', map);
  const inherited = parent?.grouping ?? defaultGrouping;
  const groupBy = reader.stringList(map, 'group_by', where);
  const noAggregation = groupBy !== undefined && groupBy.values.length === 1 && groupBy.values[0] === '...';
  const grouping: GroupingOptions = {
    enabled: groupBy === undefined ? inherited.enabled : !noAggregation,
    groupBy: groupBy === undefined ? inherited.groupBy : noAggregation ? [] : groupBy.values,
    groupWaitMs: reader.duration(map, 'group_wait') ?? inherited.groupWaitMs,
    // A zero interval would plan an update on every event: the storm grouping exists to prevent.
    groupIntervalMs: reader.durationAtLeast(map, 'group_interval', where, 1) ?? inherited.groupIntervalMs,
    repeatIntervalMs: reader.durationAtLeast(map, 'repeat_interval', where, 1) ?? inherited.repeatIntervalMs,
  };
  const continueFlag = reader.boolean(map, 'continue', where) ?? false;
  if (parent === undefined && reader.has(map, 'continue')) reader.report('FX7002', reader.node(map, 'continue'), { detail: '"continue" has no meaning on the root route.' });
  const name = reader.string(map, 'name', where);
  const self: RouteConfig = { path, label: name ?? path, ...(match ? { match } : {}), receivers, continue: continueFlag, grouping, routes: [] };
  // Only the receivers of routes that can actually be the end of a match count as used; a parent's inherited set counts through its children.
  const routes: RouteConfig[] = [];
  const childrenNode = reader.node(map, 'routes');
  if (childrenNode !== undefined) {
    const seq = reader.seq(childrenNode, `"routes" in ${where}`);
    seq?.items.forEach((child, index) => {
      const route = readRoute(reader, child as Node, `${path}.${index}`, self, names, used);
      if (route) routes.push(route);
    });
  }
  for (const receiver of receivers) used.add(receiver);
  return { ...self, routes };
}

/** Every route of a tree, depth first. */
export function allRoutes(route: RouteConfig): RouteConfig[] {
  return [route, ...route.routes.flatMap(allRoutes)];
}

