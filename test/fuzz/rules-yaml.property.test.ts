/**
 * Property tests of the Falco YAML loader and checker: no edit of a valid rules file makes them
 * throw, and every finding points inside the file.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { renderText } from '../../src/diagnostics/render-text.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { fuzzRun, mutationOf } from './arbitraries.ts';

const catalog = new Catalog();

/** A small rules file with a list, a macro, a rule with an exception, an append and an override. */
const rulesFile = `- required_engine_version: 0.26.0
- list: shell_binaries
  items: [bash, "sh", 'zsh']
- macro: spawned_process
  condition: evt.type in (execve, execveat) and evt.dir = <
- rule: Shell spawned
  desc: A shell "was" spawned
  condition: spawned_process and proc.name in (shell_binaries) and not fd.sip in ("10.0.0.1", 10.0.0.2) and not fd.snet in (192.168.0.0/16)
  output: "Shell (user=%user.name command=%proc.cmdline)"
  priority: WARNING
  tags: [shell, mitre_execution]
  exceptions:
    - name: known
      fields: [proc.pname, fd.sport]
      comps: [=, in]
      values:
        - [tini, [80, 443]]
- list: shell_binaries
  items: [fish]
  override:
    items: append
- rule: Shell spawned
  condition: and not user.name = root
  override:
    condition: append
- macro: &anchor unused
  condition: proc.name = *x
`;

describe('fuzz/rules YAML (fast-check)', function () {
  this.timeout(30_000);

  it('loads and checks the unedited file without errors', () => {
    const errors = checkRulesFiles([new SourceFile('rules.yaml', rulesFile.replace('- macro: &anchor unused\n  condition: proc.name = *x\n', ''))], catalog).diagnostics;
    expect(errors.filter((d) => d.severity === 'error').map((d) => d.message)).to.deep.equal([]);
  });

  it('loads, checks and renders any edit of a rules file without throwing, every finding inside the file', () => {
    fc.assert(
      fc.property(fc.oneof(mutationOf(rulesFile, '-:[]{}"\'&*!|>#,\n \t\\\ufeff'), fc.string({ maxLength: 200 })), (text) => {
        const file = new SourceFile('rules.yaml', text);
        const { diagnostics } = checkRulesFiles([file], catalog);
        for (const d of diagnostics) {
          if (d.span === undefined) continue;
          expect(d.span.start.offset, `${d.code} ${d.message}`).to.be.within(0, text.length);
          expect(d.span.end.offset, `${d.code} ${d.message}`).to.be.within(d.span.start.offset, text.length);
        }
        renderText(diagnostics, { sourceOf: () => text, color: false });
      }),
      fuzzRun(400, 6),
    );
  });
});
