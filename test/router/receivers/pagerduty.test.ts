/**
 * The PagerDuty receiver against a stand-in of the Events API v2 (202 `success`, 400 `invalid
 * event` with errors): the trigger event's exact shape, severities, dedup keys for groups, the
 * outcome of each answer, and hostile values kept inert in the summary.
 */
import { expect } from 'chai';
import { pagerDutyDedupKey, pagerDutySeverity } from '../../../src/router/receivers/pagerduty-message.ts';
import type { Receiver } from '../../../src/router/receivers/receiver.ts';
import { HttpStandIn, pagerDutyAnswer } from '../support/http-stand-in.ts';
import { buildReceiver, eventNotification, groupNotification, hostileValues, neverAborted } from '../support/receiver-under-test.ts';

const routingKey = 'R0123456789abcdef0123456789abcde';

interface SentEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload: { summary: string; source: string; severity: string; timestamp: string; component?: string; group?: string; class: string; custom_details: Record<string, unknown> };
}

describe('router/receivers pagerduty', function () {
  this.timeout(20_000);
  let pagerDuty: HttpStandIn;
  let receiver: Receiver;

  beforeEach(async () => {
    pagerDuty = new HttpStandIn();
    pagerDuty.answer = pagerDutyAnswer;
    await pagerDuty.start();
    receiver = buildReceiver(`{ name: under-test, type: pagerduty, routing_key: { env: PD_KEY }, api_url: "${pagerDuty.url}/v2/enqueue", timeout: 2s }`, { PD_KEY: routingKey });
  });

  afterEach(async () => {
    await receiver.close();
    await pagerDuty.stop();
  });

  const sent = (index = 0): SentEvent => JSON.parse(pagerDuty.requests[index]?.text ?? '') as SentEvent;

  it('triggers an Events API v2 event (202) keyed by the event uuid', async () => {
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.equal({ ok: true });
    expect(pagerDuty.requests[0]?.path).to.equal('/v2/enqueue');
    expect(pagerDuty.requests[0]?.answered).to.equal(202);
    expect(sent()).to.deep.equal({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: 'a1b2c3d4-0000-4000-8000-000000000001',
      client: 'falx',
      payload: {
        summary: 'Terminal shell in container: A shell was spawned in a container (user=root shell=bash)',
        source: 'node-1',
        severity: 'warning',
        timestamp: '2026-11-21T17:15:03.434Z',
        component: 'web',
        group: 'prod',
        class: 'Terminal shell in container',
        custom_details: {
          rule: 'Terminal shell in container',
          priority: 'Warning',
          source: 'syscall',
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
          uuid: 'a1b2c3d4-0000-4000-8000-000000000001',
          route: 'root',
        },
      },
    });
  });

  it('maps Falco priorities to PagerDuty severities', () => {
    expect(pagerDutySeverity).to.deep.equal({ Emergency: 'critical', Alert: 'critical', Critical: 'critical', Error: 'error', Warning: 'warning', Notice: 'info', Informational: 'info', Debug: 'info' });
  });

  it('keys a group\'s notifications by the group key, with the counts and samples in custom_details', async () => {
    expect(await receiver.send(groupNotification(0), neverAborted)).to.deep.equal({ ok: true });
    expect(await receiver.send(groupNotification(1), neverAborted)).to.deep.equal({ ok: true });
    // The group key's NUL separators become "/" (PagerDuty shows the key).
    expect(sent(0).dedup_key).to.equal('root.0/["Terminal shell in container","prod"]/under-test');
    expect(sent(1).dedup_key).to.equal(sent(0).dedup_key);
    expect(sent(1).payload.custom_details).to.deep.include({
      events_in_this_update: 40,
      events_total: 120,
      first_seen: '2026-11-21T17:15:00.000Z',
      last_seen: '2026-11-21T17:15:30.000Z',
      grouped_by: { rule: 'Terminal shell in container', 'k8s.ns.name': 'prod' },
      samples: ['A shell was spawned in a container (user=root shell=bash)', 'A shell was spawned in a container (user=root shell=sh)'],
    });
  });

  it('keeps a dedup_key within 255 printable characters: a longer group key becomes its digest', () => {
    const notification = groupNotification();
    const group = notification.group;
    if (group === undefined) throw new Error('no group');
    const long = pagerDutyDedupKey({ ...notification, group: { ...group, key: `root.0\u0000["${'x'.repeat(300)}"]\u0000pager` } });
    expect(long).to.match(/^falx-sha256:[0-9a-f]{64}$/);
    expect(pagerDutyDedupKey({ ...notification, group: { ...group, key: 'root\u0000["a\nb"]\u0000pager' } })).to.match(/^falx-sha256:/);
  });

  it('renders the summary template, on one line, without invisible controls, within 1,024 characters', async () => {
    const custom = buildReceiver(`{ name: under-test, type: pagerduty, routing_key: { env: PD_KEY }, api_url: "${pagerDuty.url}/v2/enqueue", templates: { summary: "[{{k8s.ns.name}}] {{proc.cmdline}}" } }`, { PD_KEY: routingKey });
    try {
      const hostile = `${hostileValues.join('\n')} ${'x'.repeat(2000)}`;
      expect(await custom.send(eventNotification({}, { 'proc.cmdline': hostile }), neverAborted)).to.deep.equal({ ok: true });
      const { summary } = sent().payload;
      expect(summary.startsWith('[prod] <script>alert(1)</script> ⏎ <img src=x onerror=alert(1)> ⏎ *bold* [link](http://evil) ⏎ beforeafter')).to.equal(true, summary.slice(0, 200));
      expect(summary).to.have.length(1024);
      expect(summary).to.not.match(/[\r\n\u202E]/);
      // The full value stays in the details, as data.
      expect((sent().payload.custom_details['output_fields'] as Record<string, string>)['proc.cmdline']).to.equal(hostile);
    } finally {
      await custom.close();
    }
  });

  it('400 (invalid event) is permanent; 429 and 5xx are transient, with Retry-After when given', async () => {
    const wrongKey = buildReceiver(`{ name: under-test, type: pagerduty, routing_key: { env: PD_KEY }, api_url: "${pagerDuty.url}/v2/enqueue" }`, { PD_KEY: 'short' });
    try {
      const refused = await wrongKey.send(eventNotification(), neverAborted);
      expect(refused).to.deep.include({ ok: false, retryable: false, reason: 'http_400' });
      expect(JSON.stringify(refused)).to.not.contain('short');
    } finally {
      await wrongKey.close();
    }
    pagerDuty.answer = () => ({ status: 429, body: '{"status":"throttle event","message":"Requests for this service are arriving too quickly."}' });
    const throttled = await receiver.send(eventNotification(), neverAborted);
    expect(throttled).to.deep.include({ ok: false, retryable: true, reason: 'rate_limited' });
    expect(throttled.ok === false && throttled.retryAfterMs).to.equal(undefined);
    pagerDuty.answer = () => ({ status: 429, headers: { 'retry-after': '60' } });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'rate_limited', retryAfterMs: 60_000 });
    pagerDuty.answer = () => ({ status: 502 });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'http_502' });
  });

  it('paces at 2 a second, burst 2, per routing key (without the key in the pacing key)', () => {
    expect(receiver.pacing).to.deep.equal({ perSecond: 2, burst: 2 });
    expect(receiver.pacingKey).to.match(/^pagerduty [0-9a-f]{24}$/);
    const sameKey = buildReceiver(`{ name: under-test, type: pagerduty, routing_key: { env: PD_KEY }, api_url: "${pagerDuty.url}/v2/enqueue" }`, { PD_KEY: routingKey });
    const otherKey = buildReceiver(`{ name: under-test, type: pagerduty, routing_key: { env: PD_KEY }, api_url: "${pagerDuty.url}/v2/enqueue" }`, { PD_KEY: 'another-key-0123456789abcdef0123' });
    expect(sameKey.pacingKey).to.equal(receiver.pacingKey);
    expect(otherKey.pacingKey).to.not.equal(receiver.pacingKey);
    void sameKey.close();
    void otherKey.close();
  });
});
