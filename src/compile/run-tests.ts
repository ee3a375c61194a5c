/**
 * Runs the `test` blocks of `.falx` files: each event must fire (or must not fire) its rule, as
 * falx's evaluator decides with libsinsp's semantics. Event fields are checked first: a test with
 * a misspelled field would otherwise pass for the wrong reason.
 */
import type { Catalog } from '../check/catalog/catalog.ts';
import { didYouMean } from '../check/catalog/suggest.ts';
import { parseValue } from '../check/values/parse-value.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { compileCondition, eventFromJson, type CompileOptions, type JsonValue, type Matcher } from '../evaluate/compile.ts';
import type { Expr } from '../language/ast.ts';
import type { CompiledProgram } from './compile-program.ts';
import { explainEvaluation } from './explain-evaluation.ts';

export interface TestResult {
  readonly rule: string;
  readonly expect: 'fires' | 'ignores';
  readonly passed: boolean;
  readonly span: Span;
  /** The event as written, for the report. */
  readonly event: Readonly<Record<string, unknown>>;
  /** For a failure: the rule's condition with the value of each part for this event. */
  readonly explanation?: readonly string[];
}

export interface TestRun {
  readonly results: TestResult[];
  readonly diagnostics: Diagnostic[];
}

export function runTests(program: CompiledProgram, catalog: Catalog): TestRun {
  const results: TestResult[] = [];
  const diagnostics: Diagnostic[] = [];
  const lists = new Map([...program.checked.lists].map(([name, values]) => [name, values.map((v) => v.text)]));
  const matchers = new Map<string, Matcher | 'has errors'>();
  const programHasErrors = program.diagnostics.some((d) => d.severity === 'error');
  for (const test of program.tests) {
    const expr = program.checked.rules.get(test.rule);
    if (expr === undefined) {
      diagnostics.push(diagnostic('FX2014', test.ruleSpan, { rule: test.rule }, { hint: didYouMean(suggestRules(test.rule, program)) }));
      continue;
    }
    if (!eventFieldsValid(test.event, test.span, test.fieldSpans, catalog, diagnostics)) continue;
    let matcher = matchers.get(test.rule);
    if (matcher === undefined) {
      matcher = compileChecked(expr, { catalog, macros: program.checked.macros, lists }, programHasErrors);
      matchers.set(test.rule, matcher);
    }
    if (matcher === 'has errors') {
      diagnostics.push(diagnostic('FX2017', test.ruleSpan, { rule: test.rule }));
      continue;
    }
    const event = eventFromJson(withEndpointFields(test.event) as JsonValue);
    const passed = matcher(event) === (test.expect === 'fires');
    const explanation = passed ? undefined : explainEvaluation(expr, { catalog, macros: program.checked.macros, lists }, event);
    results.push({ rule: test.rule, expect: test.expect, passed, span: test.span, event: test.event, ...(explanation === undefined ? {} : { explanation }) });
  }
  return { results, diagnostics };
}

/**
 * The evaluator takes only conditions the checker accepted: an unknown field or macro in a rule
 * the checker already reported makes it throw. That rule's tests cannot run; anywhere else the
 * exception is a falx bug and goes on.
 */
function compileChecked(expr: Expr, options: CompileOptions, programHasErrors: boolean): Matcher | 'has errors' {
  try {
    return compileCondition(expr, options);
  } catch (error) {
    if (programHasErrors) return 'has errors';
    throw error;
  }
}

function eventFieldsValid(event: Readonly<Record<string, unknown>>, span: Span, spans: Readonly<Record<string, Span>>, catalog: Catalog, diagnostics: Diagnostic[]): boolean {
  let valid = true;
  for (const [key, value] of Object.entries(event)) {
    const bracket = /^([^[]+)\[(.*)\]$/.exec(key);
    const resolution = bracket === null ? catalog.resolve(key) : catalog.resolve(bracket[1]!, bracket[2]!);
    if (!resolution.ok) {
      diagnostics.push(diagnostic('FX2015', spans[key] ?? span, { field: key }, { hint: didYouMean(catalog.suggest(key)) }));
      valid = false;
      continue;
    }
    if (value === null || Array.isArray(value) || resolution.field.list) continue;
    // Network fields hold the address that is tested against networks.
    const type = resolution.field.type === 'IPNET' ? 'IPADDR' : resolution.field.type;
    const parsed = parseValue(String(value), type);
    if (!parsed.ok) {
      diagnostics.push(diagnostic('FX3016', spans[key] ?? span, { field: key, value: String(value), reason: parsed.reason }));
      valid = false;
    }
  }
  return valid;
}

/**
 * Falco computes the network and either-endpoint fields from the socket's endpoints; a test gives
 * the endpoints (`fd.sip`, `fd.cip`, ...) and gets the rest as Falco would compute them, unless it
 * sets them itself.
 */
export function withEndpointFields(event: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...event };
  for (const side of ['c', 's', 'l', 'r']) {
    const address = event[`fd.${side}ip`];
    if (address !== undefined && result[`fd.${side}net`] === undefined) result[`fd.${side}net`] = address;
  }
  const endpoints = ['fd.cip', 'fd.sip'].map((k) => event[k]).filter((v) => typeof v === 'string');
  if (result['fd.ip'] === undefined && endpoints.length > 0) result['fd.ip'] = endpoints;
  const ports = ['fd.cport', 'fd.sport'].map((k) => event[k]).filter((v) => v !== undefined && v !== null).map(String);
  if (result['fd.port'] === undefined && ports.length > 0) result['fd.port'] = ports;
  return result;
}

function suggestRules(name: string, program: CompiledProgram): string[] {
  const lower = name.toLowerCase();
  return [...program.checked.rules.keys()].filter((rule) => rule.toLowerCase().includes(lower.slice(0, 8))).slice(0, 3);
}
