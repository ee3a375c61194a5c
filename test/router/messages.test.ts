/**
 * Pure message formatting: Slack's limits and escaping, email escaping and header safety.
 */
import { expect } from 'chai';
import { validateEvent, type FalcoEvent } from '../../src/router/event.ts';
import type { Notification } from '../../src/router/notification.ts';
import { escapeHtml, formatEmailMessage } from '../../src/router/receivers/email-message.ts';
import { escapeSlack } from '../../src/router/receivers/slack-escape.ts';
import { formatSlackMessage, slackLimits, type SlackBlock } from '../../src/router/receivers/slack-message.ts';
import { falcoEvent } from './support/router-process.ts';

function notification(overrides: Record<string, unknown> = {}, fields: Record<string, unknown> = {}): Notification {
  const validation = validateEvent(falcoEvent(overrides, fields), () => 'uuid-1', 0);
  if (!validation.ok) throw new Error(validation.problem.message);
  const event: FalcoEvent = validation.event;
  return { idempotencyKey: 'uuid-1/root/slack', receiver: 'slack', route: 'root', events: [event] };
}

function blockTexts(blocks: readonly SlackBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.type === 'header') return [block.text.text];
    if (block.type === 'section') return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((field) => field.text)];
    if (block.type === 'context') return block.elements.map((element) => element.text);
    return [];
  });
}

describe('router/receivers messages', () => {
  it('escapes exactly &, < and > for Slack', () => {
    expect(escapeSlack('<!channel> & <@U123> <https://evil|click> "q"')).to.equal('&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil|click&gt; "q"');
  });

  it('keeps event values from formatting Slack messages: no new lines, bold, code or quotes, no invisible controls', () => {
    const payload = formatSlackMessage(notification({}, { 'proc.cmdline': 'x\n*Priority*\nDebug `code` > quote ~s~ \u202Eevil\u200B' }), { channel: '#c' });
    const field = blockTexts(payload.attachments[0]?.blocks ?? []).find((text) => text.startsWith('*proc.cmdline*'));
    expect(field).to.equal('*proc.cmdline*\n`x ⏎ *Priority* ⏎ Debug ˋcodeˋ &gt; quote ~s~ evil`');
  });

  it('keeps the notification text (the fallback) as inert as the blocks: escaped, one line, no invisible controls', () => {
    const payload = formatSlackMessage(notification({ output: '17:15:03.434319636: Warning <!channel> a\r\nb \u202Eevil\u2066' }), { channel: '#c' });
    for (const text of [payload.text, payload.attachments[0]?.fallback ?? '']) {
      expect(text).to.contain('&lt;!channel&gt; a ⏎ b evil');
      expect(text).not.to.match(/[<\r\n\u200B-\u200F\u202A-\u202E\u2066-\u2069]/);
    }
  });

  it('keeps invisible controls out of email subjects', () => {
    const message = formatEmailMessage(notification({ rule: 'Shell \u202Eexe.txt\u200B' }));
    expect(message.subject).to.not.match(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069]/);
    expect(message.subject).to.include('Shell exe.txt');
  });

  it('puts the important fields first and colours by priority', () => {
    const payload = formatSlackMessage(notification({ priority: 'Critical' }), { channel: '#c' });
    const attachment = payload.attachments[0];
    expect(attachment?.color).to.equal('#ff5400');
    const fieldNames = blockTexts(attachment?.blocks ?? []).filter((text) => text.startsWith('*')).map((text) => text.split('*')[1]);
    expect(fieldNames.slice(0, 5)).to.deep.equal(['Rule', 'Priority', 'Source', 'Hostname', 'Tags']);
    expect(fieldNames.slice(5, 8)).to.deep.equal(['k8s.ns.name', 'k8s.pod.name', 'container.name']);
    expect(payload.link_names).to.equal(false);
  });

  it('stays within Slack limits and says visibly what it cut', () => {
    const many: Record<string, unknown> = {};
    for (let index = 0; index < 400; index++) many[`custom.field${String(index).padStart(3, '0')}`] = 'v'.repeat(100);
    const payload = formatSlackMessage(notification({ output: 'x'.repeat(10_000), message: 'y'.repeat(10_000) }, { 'proc.cmdline': '&'.repeat(5000), ...many }), { channel: '#c' });
    const blocks = payload.attachments[0]?.blocks ?? [];
    expect(blocks.length).to.be.at.most(slackLimits.blocks);
    const texts = blockTexts(blocks);
    for (const block of blocks) {
      if (block.type === 'section' && block.text) expect(block.text.text.length).to.be.at.most(3000);
      if (block.type === 'section' && block.fields) {
        expect(block.fields.length).to.be.at.most(10);
        for (const field of block.fields) expect(field.text.length).to.be.at.most(2000);
      }
      if (block.type === 'header') expect(block.text.text.length).to.be.at.most(150);
    }
    expect(texts.join('').length).to.be.at.most(12_000);
    expect(texts.some((text) => text.includes('[truncated'))).to.equal(true);
    expect(texts.some((text) => /\d+ more output fields not shown/.test(text))).to.equal(true);
    // Truncation never splits an entity.
    for (const text of texts) expect(text).not.to.match(/&(a|am)?( …|$)/);
  });

  it('escapes HTML in email, keeps the subject on one line, and derives a stable Message-ID', () => {
    const hostile = '<script>alert(1)</script>\r\nBcc: x@example.test';
    const message = formatEmailMessage(notification({ rule: hostile }, { 'proc.cmdline': hostile }));
    expect(message.subject).to.equal('[Warning] <script>alert(1)</script> Bcc: x@example.test on node-1');
    expect(message.html).not.to.contain('<script>');
    expect(message.html).to.contain(escapeHtml('<script>alert(1)</script>'));
    expect(message.text).to.contain('proc.cmdline: <script>');
    expect(message.messageId).to.match(/^<[0-9a-f]{32}@falx\.invalid>$/);
    expect(formatEmailMessage(notification()).messageId).to.equal(formatEmailMessage(notification()).messageId);
  });
});
