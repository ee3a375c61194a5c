/**
 * Rules files that blow up when Falco's lists and macros are expanded, or that are merely big:
 * the inputs of the hardening tests (issue 18). Each is built when a test calls for it, never
 * while mocha loads the test files.
 */

const rule = (condition: string, extra = ''): string => `- rule: R\n  desc: d\n  condition: ${condition}\n  output: "%proc.name"\n  priority: NOTICE\n${extra}`;

/** l0: [a, b]; each of l1..l{levels} names the previous list twice: 2^(levels+1) items in the last. */
export function doublingLists(levels: number): string {
  let text = '- list: l0\n  items: [a, b]\n';
  for (let i = 1; i <= levels; i++) text += `- list: l${i}\n  items: [l${i - 1}, l${i - 1}]\n`;
  return text + rule(`evt.type = execve and proc.name in (l${levels})`);
}

/** m0: `base`; m{i}: m{i-1}, for i up to `length`; a rule using the last. */
export function macroChain(length: number, base = 'evt.type = execve'): string {
  let text = `- macro: m0\n  condition: ${base}\n`;
  for (let i = 1; i <= length; i++) text += `- macro: m${i}\n  condition: m${i - 1}\n`;
  return text + rule(`m${length}`);
}

/** m{i}: (m{i-1} or m{i-1}), for i up to `levels`: the last inlines to about 2^(levels+1) nodes. */
export function doublingMacros(levels: number): string {
  let text = '- macro: m0\n  condition: evt.type = execve\n';
  for (let i = 1; i <= levels; i++) text += `- macro: m${i}\n  condition: (m${i - 1} or m${i - 1})\n`;
  return text + rule(`m${levels}`);
}

/** One list of `count` items (`p0`, `p1`, ... or the given items), used in a rule with `field`. */
export function bigList(count: number, field = 'proc.name', item: (i: number) => string = (i) => `p${i}`): string {
  const items = Array.from({ length: count }, (_, i) => item(i)).join(', ');
  return `- list: big\n  items: [${items}]\n${rule(`evt.type = execve and ${field} in (big)`)}`;
}

/** A rule with one exception of `count` [proc.name, fd.name] tuples, the last one's file name given. */
export function exceptionTuples(count: number, lastFileName = '"/tmp/last"'): string {
  const values = Array.from({ length: count }, (_, i) => `        - [p${i}, ${i === count - 1 ? lastFileName : `"/tmp/f${i}"`}]\n`).join('');
  return rule('evt.type = execve', `  exceptions:\n    - name: e\n      fields: [proc.name, fd.name]\n      values:\n${values}`);
}

/** `count` unused macros, each with an unknown field: 2 * count warnings (FX4006, as Falco compiles no unused macro, and LOAD_UNUSED_MACRO). */
export function manyMistakes(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `- macro: m${i}\n  condition: proc.nme = x${i}\n`;
  return text;
}
