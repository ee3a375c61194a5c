/**
 * Evaluator throughput: the upstream falco_rules.yaml conditions (macros and lists expanded) over
 * the semantics corpus events, and the ratio against hand-written JavaScript predicates for a few
 * of the same macros, measured in the same run. Each hand-written predicate is first checked to
 * decide exactly like the compiled condition.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Catalog } from '../src/check/catalog/catalog.ts';
import { compileCondition, type EventFields, type Matcher } from '../src/evaluate/compile.ts';
import type { Expr } from '../src/language/ast.ts';
import { parseCondition } from '../src/language/parse-condition.ts';
import { semanticsEventsPath, upstreamRulesPath } from '../test/support/corpus.ts';
import { readSemanticsEvents } from '../test/support/semantics-events.ts';

/** Upstream falco_rules.yaml and the corpus events are other projects' files, read from ../shared when present. */
export const needs = [upstreamRulesPath, semanticsEventsPath];

export const name = 'evaluate: upstream rule conditions over the semantics corpus events';

interface RulesFile {
  readonly macros: Map<string, Expr>;
  readonly lists: Map<string, string[]>;
  readonly conditions: { name: string; expr: Expr }[];
}

function readRules(): RulesFile {
  const items = parseYaml(readFileSync(upstreamRulesPath, 'utf8')) as Record<string, unknown>[];
  const macros = new Map<string, Expr>();
  const lists = new Map<string, string[]>();
  const conditions: { name: string; expr: Expr }[] = [];
  for (const item of items) {
    if (typeof item['list'] === 'string') lists.set(item['list'], (item['items'] as unknown[]).map(String));
    if (typeof item['condition'] !== 'string') continue;
    const parsed = parseCondition(item['condition']);
    if (!parsed.ok) throw new Error(`${String(item['macro'] ?? item['rule'])}: ${parsed.error.message}`);
    if (typeof item['macro'] === 'string') macros.set(item['macro'], parsed.expr);
    conditions.push({ name: String(item['macro'] ?? item['rule']), expr: parsed.expr });
  }
  return { macros, lists, conditions };
}

const openTypes = new Set(['open', 'openat', 'openat2']);
const ancestorKeys = Array.from({ length: 64 }, (_, i) => `proc.aname[${i}]`);

/** Hand-written equivalents of upstream macros, as a careful engineer would write them. */
function handWritten(lists: ReadonlyMap<string, readonly string[]>): { name: string; predicate: Matcher }[] {
  const sensitiveNames = new Set(lists.get('sensitive_file_names'));
  const sensitiveDirectories = new Set(['/etc/sudoers.d', '/etc/pam.d']);
  const openOf = (flag: string): Matcher => (event) => {
    const type = event.get('evt.type');
    if (typeof type !== 'string' || !openTypes.has(type) || event.get(flag) !== true || event.get('fd.typechar') !== 'f') return false;
    const num = event.get('fd.num');
    return typeof num === 'number' && num >= 0;
  };
  return [
    { name: 'open_write', predicate: openOf('evt.is_open_write') },
    { name: 'open_read', predicate: openOf('evt.is_open_read') },
    {
      name: 'proc_name_exists',
      predicate: (event) => {
        const procName = event.get('proc.name');
        return !(typeof procName === 'string' && (procName === '<NA>' || procName === 'N/A'));
      },
    },
    {
      name: 'sensitive_files',
      predicate: (event) => {
        const fdName = event.get('fd.name');
        if (typeof fdName === 'string' && sensitiveNames.has(fdName)) return true;
        const directory = event.get('fd.directory');
        return typeof directory === 'string' && sensitiveDirectories.has(directory);
      },
    },
    {
      name: 'interactive',
      predicate: (event) => {
        const procName = event.get('proc.name');
        if (typeof procName !== 'string') return false;
        if (procName !== 'sshd') {
          for (let i = 1; i < ancestorKeys.length; i++) {
            const ancestor = event.get(ancestorKeys[i] ?? '');
            if (typeof ancestor !== 'string') break;
            if (ancestor === 'sshd') return true;
          }
        }
        return procName === 'systemd-logind' || procName === 'login';
      },
    },
  ];
}

/** Evaluations per second of `matcher` over `events`, best of a few timed rounds. */
function rate(matcher: Matcher, events: readonly EventFields[], rounds = 5, minMs = 40): number {
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    let sink = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (const event of events) if (matcher(event)) sink++;
      count += events.length;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    if (sink < 0) throw new Error('unreachable');
    best = Math.max(best, (count / elapsed) * 1000);
  }
  return best;
}

export function run(): void {
  const events = readSemanticsEvents().map((record) => record.event);
  const catalog = new Catalog();
  const { macros, lists, conditions } = readRules();
  const compiled = conditions.map(({ name: conditionName, expr }) => ({ name: conditionName, matcher: compileCondition(expr, { catalog, macros, lists }) }));

  let evaluations = 0;
  const start = performance.now();
  for (let round = 0; round < 5; round++) {
    for (const { matcher } of compiled) for (const event of events) if (matcher(event)) evaluations += 0;
    evaluations += compiled.length * events.length;
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(`${compiled.length} upstream conditions x ${events.length} events: ${Math.round(evaluations / seconds).toLocaleString('en-US')} evaluations/s (mixed)`);

  const ratios: number[] = [];
  for (const { name: macroName, predicate } of handWritten(lists)) {
    const matcher = compiled.find((c) => c.name === macroName)?.matcher;
    if (matcher === undefined) throw new Error(`no upstream macro ${macroName}`);
    const differing = events.filter((event) => matcher(event) !== predicate(event)).length;
    if (differing > 0) throw new Error(`hand-written ${macroName} disagrees with the compiled condition on ${differing} events`);
    const compiledRate = rate(matcher, events);
    const handRate = rate(predicate, events);
    const ratio = handRate / compiledRate;
    ratios.push(ratio);
    console.log(`${macroName.padEnd(18)} compiled ${Math.round(compiledRate).toLocaleString('en-US').padStart(12)}/s  hand-written ${Math.round(handRate).toLocaleString('en-US').padStart(12)}/s  compiled is ${ratio.toFixed(2)}x slower`);
  }
  const geomean = Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
  console.log(`geometric mean: compiled is ${geomean.toFixed(2)}x slower than hand-written (target: at most 3x)`);
}
