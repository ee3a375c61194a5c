/**
 * The one table of diagnostic codes. Every finding falx can report is a row here: its stable code,
 * a kebab-case id, its default severity, the Falco loader code it corresponds to (when Falco would
 * report the same thing), and a message template whose `{name}` holes are filled by `diagnostic()`.
 *
 * Ranges: FX1xxx syntax and file structure, FX2xxx names and references, FX3xxx types and values,
 * FX4xxx falx's own lints, FX5xxx emitting, FX6xxx command line and I/O, FX7xxx router configuration.
 * Warnings that Falco itself gives keep Falco's own names (LOAD_NO_EVTTYPE, ...).
 */
import type { Severity } from './diagnostic.ts';

export type FalcoLoadCode =
  | 'LOAD_ERR_YAML_PARSE'
  | 'LOAD_ERR_YAML_VALIDATE'
  | 'LOAD_ERR_COMPILE_CONDITION'
  | 'LOAD_ERR_COMPILE_OUTPUT'
  | 'LOAD_ERR_VALIDATE';

export interface CodeSpec {
  readonly id: string;
  readonly severity: Severity;
  readonly falco?: FalcoLoadCode;
  readonly text: string;
}

export const codes = {
  // Syntax and structure.
  FX1001: { id: 'condition-syntax', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Syntax error in condition: {detail}' },
  FX1002: { id: 'invalid-escape', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Unsupported escape sequence "{escape}" in a quoted string.' },
  FX1003: { id: 'yaml-syntax', severity: 'error', falco: 'LOAD_ERR_YAML_PARSE', text: 'Invalid YAML: {detail}' },
  FX1004: { id: 'yaml-structure', severity: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', text: '{detail}' },
  FX1005: { id: 'empty-condition', severity: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', text: 'The condition is empty.' },
  FX1006: { id: 'output-syntax', severity: 'error', falco: 'LOAD_ERR_COMPILE_OUTPUT', text: 'Invalid output format: {detail}' },
  FX1007: { id: 'list-emptied-by-escape', severity: 'warning', text: 'Falco silently empties this list: its first item has an unsupported escape sequence "{escape}".' },
  FX1008: { id: 'override-structure', severity: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', text: '{detail}' },
  FX1009: { id: 'exception-structure', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: '{detail}' },
  FX1012: { id: 'unknown-property', severity: 'error', text: 'Unknown property "{key}" in {what}.' },
  FX1013: { id: 'property-type', severity: 'error', text: 'Property "{key}" takes {expected}.' },
  FX1014: { id: 'missing-property', severity: 'error', text: '{what} needs the property "{key}".' },
  FX1015: { id: 'falx-syntax', severity: 'error', text: 'Syntax error: {detail}' },
  FX1016: { id: 'import-error', severity: 'error', text: '{detail}' },
  FX1017: { id: 'invalid-list-element', severity: 'error', text: '"{value}" is not a valid {element} (list "{list}" is {element}[]).' },
  FX1018: { id: 'unknown-element-type', severity: 'error', text: 'Unknown list element type "{type}"; use one of {types}.' },
  FX1019: { id: 'duplicate-declaration', severity: 'error', text: '{kind} "{name}" is declared twice.' },
  FX1020: { id: 'unknown-policy', severity: 'error', text: 'Unknown policy kind "{kind}"; use one of {kinds}.' },
  FX1021: { id: 'duplicate-property', severity: 'error', text: 'Property "{key}" is given twice in {what}.' },
  FX1010: { id: 'engine-version', severity: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', text: '{detail}' },
  FX1022: { id: 'list-too-large', severity: 'error', text: 'List "{name}" expands to {count} items, more than the {limit} falx checks; where it is used, its items are not checked. Falco has no such limit, but pastes every item into each condition that uses the list.' },
  FX1023: { id: 'condition-too-large', severity: 'error', text: '{what} expands to {count} nodes and list items once its macros are inlined and its lists pasted; falx accepts at most {limit}. Falco has no such limit, but builds all of it in memory.' },
  FX1024: { id: 'list-items-budget-spent', severity: 'error', text: 'The conditions paste more than {limit} list items in all, the most falx checks in one run; from list "{name}" here on, pasted items are not checked.' },
  FX1025: { id: 'yaml-aliases-too-large', severity: 'error', text: 'The aliases of this YAML document repeat more than {limit} nodes and characters, the most falx reads; this alias and those after it are not resolved. Falco has no such limit, but reads every repeated node again.' },
  FX1026: { id: 'upstream-rules-not-found', severity: 'error', text: '"import upstream" needs Falco\'s rules file (falco_rules.yaml), and there is none: {searched}.' },
  FX1027: { id: 'invalid-label', severity: 'error', text: 'Pod label "{label}" is not a valid Kubernetes label: {reason}.' },
  FX1028: { id: 'declared-in-two-modules', severity: 'error', text: '{kind} "{name}" is also defined in {other}, compiled together with this file.' },
  FX1030: { id: 'plugin-version', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: '{detail}' },
  FX1031: { id: 'plugin-requirement', severity: 'error', text: '{detail}' },
  FX1032: { id: 'exceptions-replace-crash', severity: 'error', text: 'Rule "{name}" has no exceptions to replace: Falco 0.44 (and the 0.45 development code) crashes (segmentation fault) loading this override. Use "exceptions: append" under "override".' },
  FX1029: { id: 'rule-source-changed', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: 'Rule "{name}" is redefined with a different source ("{source}" instead of "{previous}"): Falco refuses it ("Rule has been re-defined with a different source").' },

  // Names and references.
  FX2001: { id: 'unknown-field', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Unknown field "{field}".' },
  FX2002: { id: 'undefined-macro', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: 'Undefined macro "{name}" used in filter.' },
  FX2003: { id: 'macro-cycle', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: 'Macro "{name}" refers to itself through {path}.' },
  FX2004: { id: 'redefinition', severity: 'warning', text: '{kind} "{name}" is defined again; this definition replaces the earlier one.' },
  FX2005: { id: 'macro-used-before-definition', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: 'Macro "{name}" is used by macro "{user}" before it is defined; Falco only resolves macros defined earlier.' },
  FX2006: { id: 'unknown-output-field', severity: 'error', falco: 'LOAD_ERR_COMPILE_OUTPUT', text: 'Unknown field "{field}" in output.' },
  FX2007: { id: 'override-without-base', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: '{kind} "{name}" uses {operation} but no {kind} by that name is defined before it.' },
  FX2009: { id: 'unknown-event-type', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Unknown event type "{value}".' },
  FX2010: { id: 'unknown-event-argument', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Unknown event argument "{name}".' },
  FX2011: { id: 'invalid-field-argument', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '{detail}' },
  FX2012: { id: 'unknown-list', severity: 'warning', text: 'No list is named "{name}", so Falco compares with the text "{name}".' },
  FX2014: { id: 'test-unknown-rule', severity: 'error', text: 'The test refers to rule "{rule}", which is not defined.' },
  FX2015: { id: 'test-unknown-field', severity: 'error', text: 'The test event has the unknown field "{field}".' },
  FX2017: { id: 'test-rule-has-errors', severity: 'error', text: 'The test of rule "{rule}" did not run: the rule\'s condition has errors.' },
  FX2016: { id: 'unknown-spread-list', severity: 'error', text: 'No list is named "{name}" (in "...{name}").' },
  FX2013: { id: 'list-outside-parentheses', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'List "{name}" is used without parentheses; Falco substitutes its items as text here, which breaks the condition. Write "({name})".' },

  // Types and values.
  FX3001: { id: 'operator-not-supported', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Operator "{op}" is not supported for {field} ({type}).' },
  FX3002: { id: 'invalid-value', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '"{value}" is not a valid {expected} for {field}.' },
  FX3003: { id: 'network-on-address-field', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '"{value}" is a network, but {field} holds a single address.' },
  FX3004: { id: 'domain-on-address-field', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '"{value}" is a domain name, but {field} holds an IP address.' },
  FX3005: { id: 'value-too-long', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'The value is {length} bytes long; Falco accepts at most 255.' },
  FX3006: { id: 'invalid-regex', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Invalid regular expression: {detail}' },
  FX3007: { id: 'field-not-allowed-on-right', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '{detail}' },
  FX3008: { id: 'transformer-not-allowed', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '{detail}' },
  FX3009: { id: 'incompatible-field-types', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '{left} has type {leftType}, but the right-hand side {right} has the incompatible type {rightType}.' },
  FX3010: { id: 'modifier-not-supported', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Operator "{op}" with modifier "{modifier}" is not supported for {field} ({type}).' },
  FX3011: { id: 'filter-only-field-in-output', severity: 'error', falco: 'LOAD_ERR_COMPILE_OUTPUT', text: 'Field "{field}" is filter-only and cannot be printed in an output.' },
  FX3012: { id: 'invalid-priority', severity: 'error', falco: 'LOAD_ERR_YAML_VALIDATE', text: 'Invalid priority "{value}".' },
  FX3013: { id: 'list-element-type', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'Item "{value}" of list "{list}" is not a valid {expected} for {field}.' },
  FX3015: { id: 'list-type-mismatch', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: 'List "{list}" holds {element} values, which {field} ({type}) cannot take.' },
  FX3016: { id: 'test-invalid-value', severity: 'error', text: 'The test event gives {field} the value "{value}": {reason}.' },
  FX3014: { id: 'invalid-transformer-use', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '{detail}' },

  // falx's own lints.
  FX4001: { id: 'list-name-substituted-as-text', severity: 'warning', text: 'Falco replaces "{name}" inside this quoted value with the items of list "{name}": it substitutes lists as text, ignoring quotes.' },
  FX4004: { id: 'append-binds-to-last-operand', severity: 'warning', text: 'The appended "and" binds only to the last alternative of the original condition, whose top level is an "or": Falco joins the texts, giving "a or b and x", which means "a or (b and x)".' },
  FX4002: { id: 'fd-net-first-network-only', severity: 'warning', text: 'Falco compares fd.net only against the first network of a list, so the other {count} never match. Use fd.snet, fd.cnet, fd.lnet or fd.rnet, or one fd.net check per network.' },
  FX4003: { id: 'never-matches', severity: 'warning', text: '{detail}' },
  FX4007: { id: 'single-item-list-outside-parentheses', severity: 'warning', text: 'List "{name}" is used without parentheses; Falco substitutes its one item "{item}" as text, which works only while the list keeps one item. Write "({name})" with "in".' },
  FX4008: { id: 'engine-version-declared-too-low', severity: 'warning', text: 'required_engine_version {declared} is lower than these rules need: {feature} needs engine {engine} (Falco {falco}).' },
  FX4006: { id: 'unused-macro-errors', severity: 'warning', text: 'Macro "{macro}" is used by no rule, so Falco does not compile it and loads the file; once a rule uses it, it fails: {detail}' },
  FX4005: { id: 'trusted-networks-shadowed', severity: 'warning', text: 'These trusted destinations can never matter: macro "{macro}" already leaves them out ({exclusion}), so no connection to them reaches this check.' },

  // Falco's own loader warnings, under Falco's names.
  LOAD_UNKNOWN_SOURCE: { id: 'unknown-source', severity: 'warning', text: 'Unknown source {source}, skipping.' },
  LOAD_NO_EVTTYPE: { id: 'no-evttype', severity: 'warning', text: 'Rule matches too many evt.type values. This has a significant performance penalty.' },
  LOAD_UNKNOWN_FILTER: { id: 'unknown-filter', severity: 'warning', text: 'Rule "{rule}" is skipped (skip-if-unknown-filter): {detail}' },
  LOAD_UNUSED_MACRO: { id: 'unused-macro', severity: 'warning', text: 'Macro not referred to by any other rule/macro.' },
  LOAD_UNUSED_LIST: { id: 'unused-list', severity: 'warning', text: 'List not referred to by any other rule/macro.' },
  LOAD_UNKNOWN_ITEM: { id: 'unknown-item', severity: 'warning', text: 'Unknown top level item.' },
  LOAD_DEPRECATED_ITEM: { id: 'deprecated-item', severity: 'warning', text: '{detail}' },
  LOAD_APPEND_NO_VALUES: { id: 'append-no-values', severity: 'warning', text: 'Overriding/appending exception "{name}" with no values.' },
  LOAD_EXCEPTION_NAME_NOT_UNIQUE: { id: 'exception-name-not-unique', severity: 'warning', text: 'Multiple definitions of exception "{name}" in the same rule.' },
  LOAD_INVALID_MACRO_NAME: { id: 'invalid-macro-name', severity: 'warning', text: 'Macro name "{name}" is invalid; it should match [a-zA-Z]+[a-zA-Z0-9_]*.' },
  LOAD_INVALID_LIST_NAME: { id: 'invalid-list-name', severity: 'warning', text: 'List name "{name}" is invalid; it should not contain blanks, parentheses, quotes, "=" or ",".' },
  LOAD_COMPILE_CONDITION: { id: 'compile-condition-hint', severity: 'warning', text: '{detail}' },
  LOAD_UNKNOWN_KEY: { id: 'unknown-key', severity: 'warning', text: 'Unknown key "{key}". The key will be ignored.' },

  // Emitting Falco YAML.
  FX5001: { id: 'value-altered-by-list-substitution', severity: 'error', text: 'This value cannot be written for Falco as spelled: Falco would replace a list name in it with the list\'s items.' },
  FX5002: { id: 'list-item-names-a-list', severity: 'error', text: 'Item "{value}" is the name of a list defined before this one: Falco would replace it with that list\'s items.' },
  FX5003: { id: 'policy-not-enforceable', severity: 'warning', text: 'Policy "{policy}" is not written as {target}: {reason}. Its Falco rule is compiled as usual.' },
  FX5004: { id: 'domains-not-enforceable', severity: 'warning', text: 'A Kubernetes NetworkPolicy cannot allow domain names: connections of policy "{policy}" to {domains} are denied unless their addresses are also trusted. Use --target cilium, which enforces domains.' },

  // Command line and I/O.
  FX6001: { id: 'file-not-readable', severity: 'error', text: 'Cannot read {path}: {reason}' },
  FX6002: { id: 'no-input-files', severity: 'error', text: 'No rules files found in {path}.' },
  FX6003: { id: 'input-too-large', severity: 'error', text: '{source} is larger than {limit}, the most falx reads for {what}.' },
  FX6004: { id: 'invalid-event', severity: 'error', text: 'The event in {source} is not valid at {path}: {detail}' },

  // ---- Router configuration (falx serve, falx route test): FX7xxx. ----
  FX7001: { id: 'router-unknown-key', severity: 'error', text: 'Unknown key "{key}" in {where}.' },
  FX7002: { id: 'router-invalid-value', severity: 'error', text: '{detail}' },
  FX7003: { id: 'router-missing-key', severity: 'error', text: 'Missing required key "{key}" in {where}.' },
  FX7004: { id: 'router-unknown-receiver', severity: 'error', text: 'Receiver "{name}" is not defined.' },
  FX7005: { id: 'router-duplicate-receiver', severity: 'error', text: 'Receiver "{name}" is defined more than once.' },
  FX7006: { id: 'router-unknown-receiver-type', severity: 'error', text: 'Unknown receiver type "{type}"; known types: {known}.' },
  FX7007: { id: 'router-invalid-duration', severity: 'error', text: '"{value}" is not a valid duration; write e.g. 500ms, 30s, 5m or 4h.' },
  FX7008: { id: 'router-secret-unavailable', severity: 'error', text: 'Secret from {ref} is not available: {reason}.' },
  FX7009: { id: 'router-unused-receiver', severity: 'warning', text: 'Receiver "{name}" is not used by any route.' },
  FX7010: { id: 'router-literal-secret', severity: 'warning', text: 'A secret is written in the configuration file ({where}); prefer {env: VARIABLE} or {file: /path}.' },
  FX7011: { id: 'router-match-field-not-allowed', severity: 'error', text: '{detail}' },
  FX7012: { id: 'router-no-receiver', severity: 'error', text: 'The root route has no receivers; every event needs somewhere to go.' },
  FX7013: { id: 'router-ingest-token-opens-api', severity: 'warning', text: 'Without "api_tokens", these ingest tokens also open the API (silences, deliveries, retries); set "api_tokens" to separate them.' },
  FX7014: { id: 'router-invalid-database-url', severity: 'error', text: 'The PostgreSQL URL from {ref} cannot be used: {reason}.' },
  FX7015: { id: 'router-database-not-verified', severity: 'warning', text: 'The router connects to {target} {risk}; add sslmode=verify-full to the URL.' },

  // ---- CI gate (falx check --falco-version, configuration file, suppression comments): FX31xx, FX61xx. ----
  FX3101: { id: 'engine-version-above-target', severity: 'error', falco: 'LOAD_ERR_VALIDATE', text: 'Rules require engine version {required}, but Falco {falco} has engine version {engine}.' },
  FX3102: { id: 'feature-newer-than-target', severity: 'error', falco: 'LOAD_ERR_COMPILE_CONDITION', text: '{feature} needs Falco {needs} or later (engine version {engine}), but the target is Falco {falco}.' },
  FX6101: { id: 'config-invalid', severity: 'error', text: '{detail}' },
  FX6102: { id: 'config-unknown-code', severity: 'error', text: 'Unknown diagnostic code "{code}".' },
  FX6103: { id: 'config-cannot-lower-falco-error', severity: 'error', text: '{code} is an error Falco itself reports when it loads the file; it cannot be turned off or lowered.' },
  FX6104: { id: 'suppression-unknown-code', severity: 'warning', text: 'Unknown diagnostic code "{code}" in a falx-disable comment.' },
  FX6105: { id: 'suppression-of-falco-error', severity: 'warning', text: '{code} is an error Falco itself reports when it loads the file; a falx-disable comment cannot hide it.' },

  // ---- fmt/import (falx import: Falco YAML to .falx): FX8xxx. ----
  FX8001: { id: 'import-not-expressible', severity: 'error', text: '{what} is not imported: {reason}.' },
  FX8003: { id: 'import-engine-raised', severity: 'warning', text: 'required_engine_version is raised from {from} to {to}: the rules use {feature}, which needs it.' },
  FX8002: { id: 'import-key-dropped', severity: 'warning', text: 'Key "{key}" is not imported: {reason}.' },

  // ---- builder (rules written in TypeScript with the falx API, src/builder): FX9xxx. ----
  FX9001: { id: 'builder-module-not-loaded', severity: 'error', text: 'Cannot load the rules module: {detail}' },
  FX9002: { id: 'builder-no-declarations', severity: 'error', text: 'The module exports no falx declarations.' },
  FX9003: { id: 'builder-not-expressible', severity: 'error', text: 'The built declarations cannot be written as .falx: {detail}' },
} as const satisfies Record<string, CodeSpec>;

export type DiagnosticCode = keyof typeof codes;

/** All codes, for documentation and table tests. */
export const allCodes = Object.keys(codes) as DiagnosticCode[];

/** The LOAD_* code Falco reports for the same finding, when it reports one. */
export function falcoCodeOf(code: DiagnosticCode): FalcoLoadCode | undefined {
  const spec: CodeSpec = codes[code];
  return spec.falco;
}
