/**
 * The HTTP helper the receivers share, against a stand-in on 127.0.0.1: the answer body is read
 * up to a cap, the worker's long-lived signal gets one listener, not one per request, Retry-After is read
 * in both of its forms.
 */
import { getEventListeners } from 'node:events';
import { expect } from 'chai';
import { createHttpPoster, retryAfterMs } from '../../../src/router/receivers/http-post.ts';
import { HttpStandIn } from '../support/http-stand-in.ts';

describe('router/receivers http-post', () => {
  let standIn: HttpStandIn;

  beforeEach(async () => {
    standIn = new HttpStandIn();
    await standIn.start();
  });

  afterEach(async () => {
    await standIn.stop();
  });

  it('reads at most maxResponseBytes of an answer', async () => {
    standIn.answer = () => ({ status: 200, body: 'x'.repeat(1024 * 1024) });
    const poster = createHttpPoster({ url: new URL(`${standIn.url}/`), timeoutMs: 5000, maxResponseBytes: 1000 });
    try {
      const outcome = await poster.post('{}', { 'content-type': 'application/json' }, new AbortController().signal);
      expect(outcome.kind === 'response' ? outcome.body.length : -1).to.equal(1000);
    } finally {
      poster.close();
    }
  });

  it('adds one abort listener to the worker\'s signal, not one per request', async () => {
    const worker = new AbortController();
    const poster = createHttpPoster({ url: new URL(`${standIn.url}/`), timeoutMs: 200 });
    try {
      const answered = await Promise.all(Array.from({ length: 20 }, () => poster.post('{}', {}, worker.signal)));
      expect(answered.every((outcome) => outcome.kind === 'response' && outcome.status === 200)).to.equal(true);
      standIn.answer = () => ({ hang: true });
      expect(await poster.post('{}', {}, worker.signal)).to.deep.include({ kind: 'failed', reason: 'timeout' });
    } finally {
      poster.close();
    }
    // One listener for the signal, whatever the number of requests.
    expect(getEventListeners(worker.signal, 'abort')).to.have.length(1);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores anything else', () => {
    const now = Date.parse('2026-11-21T17:15:00Z');
    expect(retryAfterMs('120', now)).to.equal(120_000);
    expect(retryAfterMs('Sat, 21 Nov 2026 17:15:30 GMT', now)).to.equal(30_000);
    expect(retryAfterMs('Sat, 21 Nov 2026 17:14:00 GMT', now), 'a date in the past').to.equal(0);
    expect(retryAfterMs('soon', now)).to.equal(undefined);
    expect(retryAfterMs(undefined, now)).to.equal(undefined);
  });
});
