/**
 * The Slack receiver: `chat.postMessage` with a bot token through `@slack/web-api`. The client's own
 * retries and rate-limit waits are off, because they live in memory and a restart loses them; the
 * outbox owns retries and honours Retry-After instead. Errors are classified here.
 *
 * A group's first notification is a top-level message whose channel and `ts` become the group's
 * thread; each update refreshes that message's totals with `chat.update` and replies in its
 * thread (`thread_ts`), so a storm is one message in the channel and a thread of updates.
 *
 * A group's first message whose earlier attempt may have been delivered (a replica died or was
 * stopped mid-send) is first looked for in the channel, by the idempotency key in its metadata
 * (`conversations.history`, scope `channels:history`/`groups:history`; a channel given by name is
 * resolved with `conversations.list`, scope `channels:read`/`groups:read`): found, it becomes the
 * group's thread instead of a second copy. Without those scopes the message is posted again
 * (at-least-once), with a warning.
 */
import { LogLevel, type FetchFunction, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient, type Logger as SlackLogger } from '@slack/web-api';
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { Logger } from '../logger.ts';
import type { Notification } from '../notification.ts';
import type { Secret } from '../secret.ts';
import { permanent, transient, type Pacing, type Receiver, type SendResult } from './receiver.ts';
import { defaultSlackTemplates, formatSlackMessage, formatSlackThreadReply, type SlackMessageOptions, type SlackPayload, type SlackTemplates } from './slack-message.ts';
import { readTemplates } from './templates-config.ts';

/** Slack receiver settings, validated. */
export interface SlackOptions {
  readonly token: Secret | 'unresolved';
  readonly channel: string;
  readonly apiUrl: string;
  readonly timeoutMs: number;
  readonly pacing: Pacing;
  readonly templates: SlackTemplates;
  readonly username?: string;
  readonly iconEmoji?: string;
}

const keys = ['name', 'type', 'token', 'channel', 'api_url', 'timeout', 'pace', 'templates', 'username', 'icon_emoji'];

/** Platform errors that a later attempt can cure; every other `ok: false` is permanent. */
const transientPlatformErrors = new Set(['ratelimited', 'rate_limited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'team_added_to_org']);

/** Reads a `type: slack` receiver. */
export function parseSlackOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): SlackOptions | undefined {
  reader.checkKeys(map, keys, where);
  const token = reader.secret(map, 'token', where);
  const channel = reader.string(map, 'channel', where);
  if (!reader.has(map, 'token')) reader.missing(map, 'token', where);
  if (!reader.has(map, 'channel')) reader.missing(map, 'channel', where);
  const apiUrl = reader.string(map, 'api_url', where) ?? 'https://slack.com/api/';
  const timeoutMs = reader.duration(map, 'timeout') ?? 10_000;
  const paceNode = reader.node(map, 'pace');
  // Slack's limit: about one message a second a channel. No burst by default: two quick messages already risk a 429.
  let pacing: Pacing = { perSecond: 1, burst: 1 };
  if (paceNode !== undefined) {
    const pace = reader.map(paceNode, `"pace" in ${where}`);
    if (pace) {
      reader.checkKeys(pace, ['per_second', 'burst'], `"pace" in ${where}`);
      pacing = {
        perSecond: reader.number(pace, 'per_second', `"pace" in ${where}`, 0.001, 10_000) ?? pacing.perSecond,
        burst: reader.number(pace, 'burst', `"pace" in ${where}`, 1, 10_000) ?? pacing.burst,
      };
    }
  }
  const templates = readTemplates(reader, map, where, { title: defaultSlackTemplates.title, text: defaultSlackTemplates.text });
  const username = reader.string(map, 'username', where);
  const iconEmoji = reader.string(map, 'icon_emoji', where);
  if (token === undefined || channel === undefined) return undefined;
  return {
    token,
    channel,
    apiUrl: apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`,
    timeoutMs,
    pacing,
    templates,
    ...(username !== undefined ? { username } : {}),
    ...(iconEmoji !== undefined ? { iconEmoji } : {}),
  };
}

/** Routes the client's own log lines to falx's structured log, at debug level: they are chatty. */
function slackLogger(logger: Logger, receiver: string): SlackLogger {
  let level = LogLevel.WARN;
  const forward = (...msg: unknown[]): void => logger.log('debug', 'slack client', { receiver, detail: msg.map(String).join(' ').slice(0, 500) });
  return {
    debug: () => undefined,
    info: () => undefined,
    warn: forward,
    error: forward,
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Creates a Slack receiver. */
export function createSlackReceiver(name: string, options: SlackOptions, logger: Logger): Receiver {
  if (options.token === 'unresolved') throw new Error(`slack receiver ${name}: token not resolved`);
  // Shutdown aborts requests in flight (the worker's signal), so a hung Slack cannot hold the
  // process past drain_timeout; the client's own timeout still applies otherwise.
  const closing = new AbortController();
  const linked = new WeakSet<AbortSignal>();
  const fetchWithShutdown: FetchFunction = async (url, init) => {
    const signals = [closing.signal, ...(init?.signal !== undefined ? [init.signal] : [])];
    return await fetch(url, { ...init, signal: AbortSignal.any(signals) });
  };
  const client = new WebClient(options.token.reveal(), {
    fetch: fetchWithShutdown,
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs,
    logger: slackLogger(logger, name),
    // Never let a method name turn into a request to another host.
    allowAbsoluteUrls: false,
  });
  const messageOptions: SlackMessageOptions = {
    channel: options.channel,
    templates: options.templates,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.iconEmoji !== undefined ? { iconEmoji: options.iconEmoji } : {}),
  };
  // conversations.history takes a channel id; postMessage answers with it, and a name is looked up once.
  let channelId: string | undefined = /^[CGD][A-Z0-9]{6,}$/.test(options.channel) ? options.channel : undefined;
  const post = async (payload: SlackPayload): Promise<{ channel?: string; ts?: string }> => {
    const response = await client.chat.postMessage({ ...payload, attachments: [...payload.attachments] });
    if (typeof response.channel === 'string') channelId = response.channel;
    return response;
  };
  const resolveChannel = async (): Promise<string | undefined> => {
    const name = options.channel.replace(/^#/, '');
    for (let cursor = ''; channelId === undefined; ) {
      const page = await client.conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, ...(cursor !== '' ? { cursor } : {}) });
      channelId = page.channels?.find((channel) => channel.name === name)?.id;
      cursor = page.response_metadata?.next_cursor ?? '';
      if (cursor === '') break;
    }
    return channelId;
  };
  /** The group thread an earlier attempt of this first message opened, if it reached the channel. */
  const findEarlierCopy = async (notification: Notification, plannedAt: number): Promise<{ channel: string; ts: string } | undefined> => {
    const channel = await resolveChannel();
    if (channel === undefined) throw new Error(`channel ${options.channel} not found by conversations.list`);
    // Replicas' clocks may differ a little: look from a minute before the notification was planned.
    const history = await client.conversations.history({ channel, oldest: ((plannedAt - 60_000) / 1000).toFixed(6), limit: 200, include_all_metadata: true });
    const earlier = history.messages?.find((message) => (message.metadata?.event_payload as Record<string, unknown> | undefined)?.['idempotency_key'] === notification.idempotencyKey);
    return earlier?.ts === undefined ? undefined : { channel, ts: earlier.ts };
  };
  return {
    type: 'slack',
    name,
    timeoutMs: options.timeoutMs,
    pacing: options.pacing,
    // Slack's limit is per channel of a workspace: receivers posting to the same channel share it.
    pacingKey: `slack ${options.apiUrl} ${options.channel}`,
    async send(notification: Notification, signal: AbortSignal): Promise<SendResult> {
      if (signal.aborted) return transient('aborted', 'shutting down');
      // The worker passes one signal for its whole life: link it once, not once per send (a listener per send would leak).
      if (!linked.has(signal)) {
        linked.add(signal);
        signal.addEventListener('abort', () => closing.abort(), { once: true });
      }
      const group = notification.group;
      const threadTs = notification.thread?.['ts'];
      const threadChannel = notification.thread?.['channel'];
      try {
        if (group !== undefined && group.seq > 0 && threadTs !== undefined && threadChannel !== undefined) {
          // Refresh the first message's totals first: if the reply then fails, the retry repeats an idempotent update, not a reply.
          const summary = formatSlackMessage({ ...notification, group: { ...group, count: group.total } }, { ...messageOptions, summary: true });
          try {
            await client.chat.update({ channel: threadChannel, ts: threadTs, text: summary.text, attachments: [...summary.attachments] });
          } catch (error) {
            const result = classifySlackError(error);
            if (!result.ok && result.retryable) return result;
            // The first message is gone or cannot be edited: the thread reply still carries the counts.
            logger.log('warn', 'updating a group message failed', { receiver: name, detail: result.ok ? '' : result.detail });
          }
          await post(formatSlackThreadReply(notification, messageOptions, threadTs));
          return { ok: true };
        }
        if (group !== undefined && notification.inDoubt === true) {
          try {
            const earlier = await findEarlierCopy(notification, group.plannedAt);
            if (earlier !== undefined) {
              logger.log('info', 'a group message sent before a restart was found in the channel; not posted again', { receiver: name, key: notification.idempotencyKey });
              return { ok: true, thread: earlier };
            }
          } catch (error) {
            const result = classifySlackError(error);
            // Slack asks to wait: wait, rather than risk a second copy.
            if (!result.ok && result.reason === 'rate_limited') return result;
            logger.log('warn', 'could not look for an earlier copy of a group message; posting it again', { receiver: name, detail: result.ok ? '' : result.detail });
          }
        }
        const response = await post(formatSlackMessage(notification, messageOptions));
        if (group !== undefined && typeof response.ts === 'string') return { ok: true, thread: { channel: response.channel ?? options.channel, ts: response.ts } };
        return { ok: true };
      } catch (error) {
        return classifySlackError(error);
      }
    },
    close: async () => {
      closing.abort();
    },
  };
}

/** Sorts a `@slack/web-api` failure into retryable or permanent. */
export function classifySlackError(error: unknown): SendResult {
  if (error instanceof WebAPIRateLimitedError) return transient('rate_limited', `Slack rate limit, retry after ${error.retryAfter}s`, error.retryAfter * 1000);
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    const detail = `Slack answered ok:false (${code})`;
    return transientPlatformErrors.has(code) ? transient(code, detail) : permanent(code, detail);
  }
  if (error instanceof WebAPIHTTPError) {
    const detail = `Slack answered HTTP ${error.statusCode}`;
    return error.statusCode >= 500 || error.statusCode === 429 || error.statusCode === 408 ? transient(`http_${error.statusCode}`, detail) : permanent(`http_${error.statusCode}`, detail);
  }
  if (error instanceof WebAPIRequestError) {
    const original = error.original;
    const timedOut = original.name === 'TimeoutError' || original.name === 'AbortError';
    return transient(timedOut ? 'timeout' : 'network', `Slack request failed: ${original.message}`.slice(0, 300));
  }
  // A 429 without a usable Retry-After: the client gives up at once, falx backs off.
  if (error instanceof Error && error.message.includes('Retry header did not contain a valid timeout')) return transient('rate_limited', 'Slack rate limit without Retry-After');
  return transient('unknown', error instanceof Error ? error.message.slice(0, 300) : String(error));
}
