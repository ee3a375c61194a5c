/**
 * The Falcosidekick receiver against a stand-in that answers as Falcosidekick's `POST /` does:
 * each event forwarded as a Falco `http_output` body, a group's events one by one, the outcome of
 * each answer, and at-least-once after a partial failure.
 */
import { expect } from 'chai';
import type { Receiver } from '../../../src/router/receivers/receiver.ts';
import { falcosidekickAnswer, HttpStandIn } from '../support/http-stand-in.ts';
import { buildReceiver, eventNotification, groupNotification, hostileValues, neverAborted } from '../support/receiver-under-test.ts';

describe('router/receivers falcosidekick', function () {
  this.timeout(20_000);
  let sidekick: HttpStandIn;
  let receiver: Receiver;

  beforeEach(async () => {
    sidekick = new HttpStandIn();
    sidekick.answer = falcosidekickAnswer;
    await sidekick.start();
    receiver = buildReceiver(`{ name: under-test, type: falcosidekick, url: "${sidekick.url}/", timeout: 2s, headers: { Authorization: { env: SIDEKICK_TOKEN } } }`, { SIDEKICK_TOKEN: 'Bearer sk' });
  });

  afterEach(async () => {
    await receiver.close();
    await sidekick.stop();
  });

  it('forwards an event as Falco posts it: POST / with the event JSON in Falco\'s keys', async () => {
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.equal({ ok: true });
    const [request] = sidekick.requests;
    expect(request?.method).to.equal('POST');
    expect(request?.path).to.equal('/');
    expect(request?.headers['content-type']).to.equal('application/json');
    expect(request?.headers['authorization']).to.equal('Bearer sk');
    expect(request?.answered).to.equal(200);
    expect(JSON.parse(request?.text ?? '')).to.deep.equal({
      uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
      rule: 'Terminal shell in container',
      priority: 'Warning',
      time: '2026-11-21T17:15:03.434319636Z',
      source: 'syscall',
      hostname: 'node-1',
      tags: ['container', 'shell', 'mitre_execution'],
      output: '17:15:03.434319636: Warning A shell was spawned in a container (user=root shell=bash)',
      output_fields: {
        'container.name': 'web',
        'k8s.ns.name': 'prod',
        'k8s.pod.name': 'web-1',
        'proc.cmdline': 'bash -i',
        'proc.name': 'bash',
        'user.name': 'root',
        'user.uid': 0,
        'evt.time': 1795281303434319600,
        'proc.aname[2]': 'containerd-shim',
        'fd.name': null,
      },
    });
  });

  it('keeps Falco\'s message key when the event had one, and the values unchanged (hostile ones included)', async () => {
    const fields = Object.fromEntries(hostileValues.map((value, index) => [`hostile.${index}`, value]));
    expect(await receiver.send(eventNotification({ message: 'A shell <b>', output: hostileValues.join(' ') }, fields), neverAborted)).to.deep.equal({ ok: true });
    const body = JSON.parse(sidekick.requests[0]?.text ?? '') as { message: string; output: string; output_fields: Record<string, unknown> };
    expect(body.message).to.equal('A shell <b>');
    expect(body.output).to.equal(hostileValues.join(' '));
    for (const [index, value] of hostileValues.entries()) expect(body.output_fields[`hostile.${index}`]).to.equal(value);
  });

  it('forwards each event of a group notification, in order', async () => {
    expect(await receiver.send(groupNotification(), neverAborted)).to.deep.equal({ ok: true });
    expect(sidekick.requests.map((request) => (JSON.parse(request.text) as { uuid: string }).uuid)).to.deep.equal(['e-1', 'e-2']);
  });

  it('stops at the first failure and reports it; the retry posts the earlier events again (at-least-once)', async () => {
    let calls = 0;
    sidekick.answer = (request) => (++calls === 2 ? { status: 503, headers: { 'retry-after': '3' } } : falcosidekickAnswer(request));
    expect(await receiver.send(groupNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'http_503', retryAfterMs: 3000 });
    expect(await receiver.send(groupNotification(), neverAborted)).to.deep.equal({ ok: true });
    expect(sidekick.delivered().map((request) => (JSON.parse(request.text) as { uuid: string }).uuid)).to.deep.equal(['e-1', 'e-1', 'e-2']);
  });

  it('429 is transient with retryAfterMs, 500 transient, and the 400 Falcosidekick gives an event it refuses is permanent', async () => {
    sidekick.answer = () => ({ status: 429, headers: { 'retry-after': '2' } });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'rate_limited', retryAfterMs: 2000 });
    sidekick.answer = () => ({ status: 500 });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'http_500' });
    sidekick.answer = falcosidekickAnswer;
    // Falcosidekick's Check() refuses an event without output fields.
    const empty = eventNotification({ output_fields: {} });
    expect(await receiver.send(empty, neverAborted)).to.deep.include({ ok: false, retryable: false, reason: 'http_400' });
  });
});
