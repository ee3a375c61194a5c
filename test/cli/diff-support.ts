/**
 * Helpers for `falx diff` tests. `policyChangesBetween` compares two versions of a ruleset in
 * process; `falcoYamlPolicy` is the Falco YAML reader. A `.falx` reader only needs to return a
 * `PolicyModel` (e.g. `policyFromChecked` of its checked ruleset) to reuse every test shape here.
 */
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { comparePolicies } from '../../src/diff/compare-policies.ts';
import { policyFromFiles } from '../../src/diff/load-policy.ts';
import type { PolicyChange } from '../../src/diff/policy-changes.ts';
import type { PolicyModel } from '../../src/diff/policy-model.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

const catalog = new Catalog();

/** Reads Falco YAML text as one file into a policy model. */
export function falcoYamlPolicy(text: string, name = 'rules.yaml'): PolicyModel {
  return policyFromFiles([new SourceFile(name, text)], { catalog, readFile: () => undefined }).model;
}

/** The changes from `before` to `after`, both read by `read` (Falco YAML unless told). */
export function policyChangesBetween(before: string, after: string, read: (text: string) => PolicyModel = falcoYamlPolicy): PolicyChange[] {
  return comparePolicies(read(before), read(after));
}

/** A rule item of Falco YAML with the given condition and extra keys. */
export function ruleYaml(name: string, condition: string, extra = ''): string {
  return `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: "%proc.name"\n  priority: WARNING\n${extra}`;
}
