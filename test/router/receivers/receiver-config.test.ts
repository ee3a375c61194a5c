/**
 * The HTTP receivers' settings are checked as the rest of the router configuration is: every
 * problem reported at its file:line:col, unknown keys with a suggestion, URLs and headers checked
 * without repeating a value that may be a credential.
 */
import { expect } from 'chai';
import { loadRouterConfig } from '../../../src/router/config.ts';

function diagnose(receivers: readonly string[], env?: Record<string, string>): string[] {
  const text = ['receivers:', ...receivers, 'route:', '  receivers: [log]', ''].join('\n');
  return loadRouterConfig(text, 'router.yaml', env === undefined ? undefined : { env, readFile: () => '' }).diagnostics.map(
    (d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}${d.hint ? ` (${d.hint})` : ''}`,
  );
}

function expectFound(found: readonly string[], prefix: string, fragment = ''): void {
  expect(found.some((line) => line.startsWith(prefix) && line.includes(fragment)), `${prefix} … ${fragment}\n${found.join('\n')}`).to.equal(true);
}

describe('router/receivers configuration', () => {
  it('locates webhook problems: unknown keys, a bad URL, reserved headers, TLS without https, a certificate without its key', () => {
    const found = diagnose([
      '  - { name: log, type: log }',
      '  - name: hook',
      '    type: webhook',
      '    url: "ftp://hooks.example/x?token=abc"',
      '    hmac_secet: { env: HOOK_SECRET }',
      '    headers: { Content-Type: text/plain, X-Falx-Signature-256: forged, "bad name": x }',
      '    timeout: soon',
      '  - name: hook-tls',
      '    type: webhook',
      '    url: "http://hooks.example/"',
      '    tls: { cert: { file: /etc/falx/client.crt }, reject_unauthorised: false }',
      '  - { name: hook-none, type: webhook }',
    ]);
    expectFound(found, '5:10 FX7002', '"url" in receiver "hook" must start with http:// or https:// (not ftp://)');
    expect(found.join('\n')).to.not.contain('token=abc');
    expectFound(found, '6:5 FX7001', 'Unknown key "hmac_secet" in receiver "hook". (Did you mean "hmac_secret"?)');
    expectFound(found, '7:16 FX7002', 'Header "Content-Type" in "headers" in receiver "hook" is set by falx');
    expectFound(found, '7:42 FX7002', 'Header "X-Falx-Signature-256"');
    expectFound(found, '7:72 FX7002', 'A header name in "headers" in receiver "hook" must be a token');
    expectFound(found, '8:14 FX7007');
    expectFound(found, '12:10 FX7002', '"tls" in receiver "hook-tls" needs an https:// URL.');
    expectFound(found, '12:10 FX7003', 'Missing required key "key" in "tls" in receiver "hook-tls" (a client certificate needs its key).');
    expectFound(found, '12:50 FX7001', 'Unknown key "reject_unauthorised"');
    expectFound(found, '13:5 FX7003', 'Missing required key "url" in receiver "hook-none".');
  });

  it('locates PagerDuty, Teams and Falcosidekick problems', () => {
    const found = diagnose([
      '  - { name: log, type: log }',
      '  - { name: pager, type: pagerduty, api_url: "not a url", templates: { summary: "{{rule" } }',
      '  - { name: chat, type: teams, url: "https://example.webhook.office.com/x", templates: { subject: "x" }, pace: { per_second: 0 } }',
      '  - { name: sidekick, type: falcosidekick, url: "http://sidekick:2801/", pace: { per_second: 1 } }',
    ]);
    expectFound(found, '3:5 FX7003', 'Missing required key "routing_key" in receiver "pager".');
    expectFound(found, '3:46 FX7002', '"api_url" in receiver "pager" is not a valid URL.');
    expectFound(found, '3:81 FX7002', 'Template "summary"');
    expectFound(found, '4:90 FX7001', 'Unknown key "subject" in "templates" in receiver "chat".');
    expectFound(found, '4:126 FX7002', '"per_second" in "pace" in receiver "chat" must be a number');
    expectFound(found, '5:74 FX7001', 'Unknown key "pace" in receiver "sidekick".');
  });

  it('checks a URL given as a secret once resolved, naming where it came from but not its value', () => {
    const found = diagnose(['  - { name: log, type: log }', '  - { name: chat, type: teams, url: { env: TEAMS_URL } }'], { TEAMS_URL: 'teams-sig-secret' });
    expectFound(found, '3:37 FX7002', '"url" in receiver "chat" (from env TEAMS_URL) is not a valid URL.');
    expect(found.join('\n')).to.not.contain('teams-sig-secret');
    const header = diagnose(['  - { name: log, type: log }', '  - { name: hook, type: webhook, url: "https://h.example/", headers: { Authorization: { env: HOOK_TOKEN } } }'], { HOOK_TOKEN: 'Bearer a\r\nX-Injected: 1' });
    expectFound(header, '3:87 FX7002', 'Header "Authorization" in "headers" in receiver "hook" (from env HOOK_TOKEN) must be one line of printable characters.');
    expect(header.join('\n')).to.not.contain('X-Injected');
    const unset = diagnose(['  - { name: log, type: log }', '  - { name: chat, type: teams, url: { env: TEAMS_URL } }'], {});
    expectFound(unset, '3:37 FX7008', 'TEAMS_URL');
  });

  it('accepts valid blocks of each type, and lists them among the known types', () => {
    const found = diagnose(
      [
        '  - { name: log, type: log }',
        '  - { name: hook, type: webhook, url: "https://hooks.example/falx", hmac_secret: { env: S }, headers: { Authorization: { env: T }, X-Team: sec }, timeout: 5s, pace: { per_second: 5, burst: 10 }, tls: { reject_unauthorized: true } }',
        '  - { name: sidekick, type: falcosidekick, url: "http://falcosidekick:2801/" }',
        '  - { name: pager, type: pagerduty, routing_key: { env: K } }',
        '  - { name: chat, type: teams, url: { env: U }, templates: { title: "{{rule}}", text: "{{output}}" } }',
        '  - { name: other, type: opsgenie }',
      ],
      { S: 's', T: 't', K: 'k', U: 'https://example.com/workflows/1?sig=x' },
    );
    expect(found.filter((line) => !line.includes('FX7009') && !line.includes('FX7006'))).to.deep.equal([]);
    expectFound(found, '7:26 FX7006', 'webhook, falcosidekick, pagerduty, teams');
  });
});
