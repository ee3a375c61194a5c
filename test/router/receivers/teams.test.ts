/**
 * The Microsoft Teams receiver against a stand-in Workflows webhook (202, 429 with Retry-After,
 * 5xx, 400): the Adaptive Card's exact shape, a group's facts and samples, event values made inert
 * for Adaptive Card markdown, and the outcome of each answer.
 */
import { expect } from 'chai';
import type { Receiver } from '../../../src/router/receivers/receiver.ts';
import { inertTeamsText, truncateTeams, type TeamsFactSet, type TeamsPayload, type TeamsTextBlock } from '../../../src/router/receivers/teams-message.ts';
import { HttpStandIn, teamsAnswer } from '../support/http-stand-in.ts';
import { buildReceiver, eventNotification, groupNotification, hostileValues, neverAborted } from '../support/receiver-under-test.ts';

/** The workflow's URL carries its signature in the query, as real ones do. */
const workflowPath = '/workflows/0f1e2d/triggers/manual/paths/invoke?api-version=1&sig=SIGNATURE-SECRET';

function cardBody(payload: TeamsPayload): readonly (TeamsTextBlock | TeamsFactSet)[] {
  return payload.attachments[0]?.content.body ?? [];
}

function texts(payload: TeamsPayload): string[] {
  return cardBody(payload).flatMap((element) => (element.type === 'TextBlock' ? [element.text] : element.facts.flatMap((fact) => [fact.title, fact.value])));
}

describe('router/receivers teams', function () {
  this.timeout(20_000);
  let teams: HttpStandIn;
  let receiver: Receiver;

  beforeEach(async () => {
    teams = new HttpStandIn();
    teams.answer = teamsAnswer;
    await teams.start();
    receiver = buildReceiver(`{ name: under-test, type: teams, url: { env: TEAMS_URL }, timeout: 2s }`, { TEAMS_URL: `${teams.url}${workflowPath}` });
  });

  afterEach(async () => {
    await receiver.close();
    await teams.stop();
  });

  const posted = (index = 0): TeamsPayload => JSON.parse(teams.requests[index]?.text ?? '') as TeamsPayload;

  it('posts one Adaptive Card 1.4 to the workflow (202)', async () => {
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.equal({ ok: true });
    expect(teams.requests[0]?.path).to.equal(workflowPath);
    expect(teams.requests[0]?.answered).to.equal(202);
    expect(posted()).to.deep.equal({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: 'Warning: Terminal shell in container', wrap: true, weight: 'Bolder', size: 'Medium', color: 'Warning' },
              { type: 'TextBlock', text: 'A shell was spawned in a container \\(user=root shell=bash\\)', wrap: true },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Rule', value: 'Terminal shell in container' },
                  { title: 'Priority', value: 'Warning' },
                  { title: 'Host', value: 'node\\-1' },
                  { title: 'Namespace', value: 'prod' },
                ],
              },
              { type: 'TextBlock', text: '2026\\-11\\-21T17:15:03.434319636Z · falx · a1b2c3d4\\-0000\\-4000\\-8000\\-000000000001', wrap: true, isSubtle: true },
            ],
          },
        },
      ],
    });
  });

  it('shows a group\'s counts in the FactSet and its samples', async () => {
    expect(await receiver.send(groupNotification(1), neverAborted)).to.deep.equal({ ok: true });
    const body = cardBody(posted());
    const facts = body.find((element): element is TeamsFactSet => element.type === 'FactSet')?.facts;
    expect(facts).to.deep.include({ title: 'Events', value: '40 more in the last 30 seconds \\(120 in all\\)' });
    expect(facts).to.deep.include({ title: 'Total', value: '120' });
    expect(facts).to.deep.include({ title: 'Grouped by', value: 'rule=Terminal shell in container, k8s.ns.name=prod' });
    expect(texts(posted())).to.include('**Samples (2 distinct)**\n\n• A shell was spawned in a container \\(user=root shell=bash\\)\n\n• A shell was spawned in a container \\(user=root shell=sh\\)');
  });

  it('makes hostile event values inert for Adaptive Card markdown, in the title, the text and the facts', async () => {
    const custom = buildReceiver(`{ name: under-test, type: teams, url: "${teams.url}/", templates: { title: "**{{rule}}** on {{hostname}}", text: "{{proc.cmdline}}" } }`);
    try {
      const hostile = hostileValues.join('\n');
      expect(await custom.send(eventNotification({ rule: hostileValues[2], hostname: hostileValues[0] }, { 'proc.cmdline': hostile, 'k8s.ns.name': hostileValues[1] }), neverAborted)).to.deep.equal({ ok: true });
      const all = texts(posted());
      // The operator's template keeps its markdown; the values cannot add any.
      expect(all[0]).to.equal('**\\*bold\\* \\[link\\]\\(http://evil\\)** on ‹script›alert\\(1\\)‹/script›');
      expect(all[1]).to.equal('‹script›alert\\(1\\)‹/script› ⏎ ‹img src=x onerror=alert\\(1\\)› ⏎ \\*bold\\* \\[link\\]\\(http://evil\\) ⏎ beforeafter ⏎ ‹\\!channel› @here');
      const raw = teams.requests[0]?.text ?? '';
      expect(raw).to.not.match(/[<>\u202E]/);
      expect(raw).to.not.contain('](http');
      for (const text of all) expect(text, 'one line per value').to.not.match(/[\r]|(?<!\n)\n(?!\n)/);
    } finally {
      await custom.close();
    }
  });

  it('escapes every markdown character, a leading list number, and cuts without leaving half an escape', () => {
    expect(inertTeamsText('\\ ` * _ { } [ ] ( ) # + - ! | ~ > < &')).to.equal('\\\\ \\` \\* \\_ \\{ \\} \\[ \\] \\( \\) \\# \\+ \\- \\! \\| \\~ › ‹ ＆');
    expect(inertTeamsText('1. item')).to.equal('1\\. item');
    expect(truncateTeams('abcd\\*efgh', 6)).to.equal('abcd…');
    expect(truncateTeams('abc\\*efgh', 6)).to.equal('abc\\*…');
  });

  it('429 with Retry-After is transient with retryAfterMs; 5xx transient; 4xx permanent; the URL\'s signature never in a detail', async () => {
    teams.answer = () => ({ status: 429, headers: { 'retry-after': '5' }, body: '{"error":{"code":"WorkflowTriggerIsThrottled"}}' });
    const throttled = await receiver.send(eventNotification(), neverAborted);
    expect(throttled).to.deep.include({ ok: false, retryable: true, reason: 'rate_limited', retryAfterMs: 5000 });
    teams.answer = () => ({ status: 500 });
    expect(await receiver.send(eventNotification(), neverAborted)).to.deep.include({ ok: false, retryable: true, reason: 'http_500' });
    teams.answer = () => ({ status: 404, body: '{"error":{"code":"WorkflowNotFound"}}' });
    const missing = await receiver.send(eventNotification(), neverAborted);
    expect(missing).to.deep.include({ ok: false, retryable: false, reason: 'http_404' });
    for (const result of [throttled, missing]) {
      expect(JSON.stringify(result)).to.not.contain('SIGNATURE-SECRET');
      expect(JSON.stringify(result)).to.not.contain('workflows');
    }
    expect(receiver.pacing).to.deep.equal({ perSecond: 1, burst: 4 });
    expect(receiver.pacingKey).to.not.contain('SIGNATURE');
  });
});
