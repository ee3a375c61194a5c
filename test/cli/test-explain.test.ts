/**
 * `falx test` explains a failing case: the rule's condition as a tree, each part's value for the
 * event and each field check with the value the event gave (the real CLI as a child process).
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx } from '../support/falx-cli.ts';

const rules = `list shells: binary[] = [bash, sh]

macro spawned = evt.type = execve

rule "Shell in web pod" {
  desc: "d"
  condition: spawned and proc.name in (shells) and k8s.ns.name = web and not proc.pname = tini
  output: "%proc.name"
  priority: WARNING
}

test "Shell in web pod" {
  fires: { evt.type: execve, proc.name: zsh, k8s.ns.name: web, proc.pname: runc }
  ignores: { evt.type: execve, proc.name: bash, k8s.ns.name: web, proc.pname: runc }
  fires: { evt.type: execve, proc.name: sh, k8s.ns.name: web, proc.pname: tini }
}

test "Shell in wep pod" {
  fires: { evt.type: execve, proc.name: bash }
}
`;

describe('cli/falx test explains failures', () => {
  it('shows which part of the condition was false, with the event\'s values, and did-you-mean for a rule name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-test-explain-'));
    writeFileSync(join(dir, 'rules.falx'), rules);
    const result = await runFalx(['test', 'rules.falx'], dir);
    expect(result.code).to.equal(1);
    const failures = result.stdout.split(/^FAIL /m).slice(1);
    expect(failures).to.have.length(3);
    // The first case: only the list check is false, and it says what proc.name was.
    expect(failures[0]).to.include('"Shell in web pod" should fire but did not');
    expect(failures[0]).to.match(/false and\n/);
    expect(failures[0]).to.match(/true +spawned \(macro\)\n\s+true +evt\.type = execve +\[evt\.type = "execve"\]/);
    expect(failures[0]).to.match(/false +proc\.name in \(shells\) +\[proc\.name = "zsh"\]/);
    expect(failures[0]).to.match(/true +k8s\.ns\.name = web +\[k8s\.ns\.name = "web"\]/);
    // The second: every part is true, so the rule fired.
    expect(failures[1]).to.include('should not fire but did');
    expect(failures[1]).to.not.match(/^\s+false and/m);
    // The third: the "not" is what failed.
    expect(failures[2]).to.match(/false +not\n\s+true +proc\.pname = tini +\[proc\.pname = "tini"\]/);
    expect(result.stdout).to.include('Did you mean "Shell in web pod"?');
  });
});
