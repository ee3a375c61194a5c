/**
 * Slack's per-channel message limit as an answer policy for the Slack stand-in: a
 * `chat.postMessage` that reaches a channel less than `windowMs` after the last message the
 * channel accepted is answered 429 with Retry-After, as Slack does, and so is any call to a channel
 * before a Retry-After it was given has expired. Chosen messages get an extra, injected 429. Every
 * verdict is recorded with the stand-in's arrival time, so a test can tell what the router did
 * (its calls and their spacing) from what the stand-in did to it (the injected 429s).
 */
import type { SlackAnswer, SlackCall } from './slack-stand-in.ts';

export type LimitVerdictKind =
  /** Within the limit: answered ok. */
  | 'accepted'
  /** An injected 429: the router could not have avoided it. */
  | 'injected'
  /** A second message within the window: the router went over the limit. */
  | 'over-limit'
  /** A call before a Retry-After the channel was given had expired. */
  | 'early';

export interface LimitVerdict {
  readonly at: number;
  readonly channel: string;
  readonly method: string;
  readonly verdict: LimitVerdictKind;
  /** For a 429: until when the channel was told to wait. */
  readonly blockedUntil?: number;
}

export interface ChannelLimitOptions {
  /** The shortest spacing of two messages to one channel (Slack: about one a second). */
  readonly windowMs: number;
  /** Messages (counted from 1, over all channels) to answer with a 429 whatever their timing, and the Retry-After in seconds. */
  readonly inject: ReadonlyMap<number, number>;
  /** Called after an injected 429 is decided (the answer is sent right after). */
  readonly onInjected?: (verdict: LimitVerdict, nth: number) => void;
}

export class ChannelLimit {
  readonly verdicts: LimitVerdict[] = [];
  private readonly lastAccepted = new Map<string, number>();
  private readonly blockedUntil = new Map<string, number>();
  private messages = 0;

  constructor(private readonly options: ChannelLimitOptions) {}

  /** The stand-in's `answer` hook. */
  readonly answer = (call: Omit<SlackCall, 'answered'>): SlackAnswer => {
    const { at, channelId: channel, method } = call;
    const blocked = this.blockedUntil.get(channel) ?? 0;
    if (at < blocked) return this.limit({ at, channel, method, verdict: 'early', blockedUntil: blocked });
    // Edits are not messages: Slack's one-a-second rule is about posting.
    if (method !== 'chat.postMessage') return this.accept({ at, channel, method, verdict: 'accepted' });
    this.messages += 1;
    const injected = this.options.inject.get(this.messages);
    if (injected !== undefined) {
      const verdict = { at, channel, method, verdict: 'injected' as const, blockedUntil: at + injected * 1000 };
      const answer = this.limit(verdict);
      this.options.onInjected?.(verdict, this.messages);
      return answer;
    }
    const last = this.lastAccepted.get(channel);
    if (last !== undefined && at - last < this.options.windowMs) return this.limit({ at, channel, method, verdict: 'over-limit', blockedUntil: at + 1000 });
    this.lastAccepted.set(channel, at);
    return this.accept({ at, channel, method, verdict: 'accepted' });
  };

  /** Verdicts of one kind. */
  of(kind: LimitVerdictKind): LimitVerdict[] {
    return this.verdicts.filter((verdict) => verdict.verdict === kind);
  }

  private accept(verdict: LimitVerdict): SlackAnswer {
    this.verdicts.push(verdict);
    return { kind: 'ok' };
  }

  private limit(verdict: LimitVerdict & { blockedUntil: number }): SlackAnswer {
    this.verdicts.push(verdict);
    this.blockedUntil.set(verdict.channel, Math.max(this.blockedUntil.get(verdict.channel) ?? 0, verdict.blockedUntil));
    return { kind: 'rate-limited', retryAfter: Math.max(1, Math.ceil((verdict.blockedUntil - verdict.at) / 1000)) };
  }
}
