/**
 * fast-check generators shared by the property tests: Falco conditions built from fields of every
 * kind with values valid for their type, events, `.falx` programs and mutations of valid text.
 * Each property is bounded in runs and in time (`fuzzRun`), so the whole fuzz suite stays near 30 s.
 */
import fc from 'fast-check';

/** Runs and time per property; FALX_FUZZ_RUNS raises the runs for a longer local session. */
export function fuzzRun(runs: number, seconds: number): fc.Parameters<unknown> {
  const scale = Number(process.env['FALX_FUZZ_RUNS'] ?? '1');
  return { numRuns: Math.round(runs * scale), interruptAfterTimeLimit: seconds * 1000 * scale, markInterruptAsFailure: false };
}

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/);
const path = fc.array(fc.stringMatching(/^[a-z0-9_.-]{1,6}$/), { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
/** A quoted string with spaces, quotes, commas and parentheses inside (escaped as Falco wants). */
const quoted = fc.stringMatching(/^[a-zA-Z0-9 ,()'"._\/-]{0,12}$/).map((text) => `"${text.replace(/"/g, '\\"')}"`);
const stringValue = fc.oneof(word, path, quoted);
const port = fc.integer({ min: 0, max: 65535 }).map(String);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const cidr = fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([ip, bits]) => `${ip}/${bits}`);

interface FieldKind {
  readonly fields: readonly string[];
  readonly operators: readonly string[];
  readonly value: fc.Arbitrary<string>;
}

const kinds: readonly FieldKind[] = [
  { fields: ['proc.name', 'proc.cmdline', 'fd.name', 'user.name', 'proc.pname', 'container.image.repository', 'k8s.ns.name'], operators: ['=', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob'], value: stringValue },
  { fields: ['fd.sport', 'fd.cport', 'fd.lport'], operators: ['=', '!=', '<', '<=', '>', '>='], value: port },
  { fields: ['proc.pid', 'evt.rawres'], operators: ['=', '!=', '<', '>'], value: fc.integer({ min: -5, max: 100000 }).map(String) },
  { fields: ['fd.sip', 'fd.cip'], operators: ['=', '!='], value: ipv4 },
  { fields: ['fd.snet', 'fd.cnet'], operators: ['='], value: cidr },
];

/** One comparison, `in`/`exists` or a transformer, valid for its field's type. */
const comparison: fc.Arbitrary<string> = fc.oneof(
  ...kinds.map((kind) =>
    fc.tuple(fc.constantFrom(...kind.fields), fc.constantFrom(...kind.operators), kind.value).map(([field, op, value]) => `${field} ${op} ${value}`),
  ),
  ...kinds.slice(0, 3).map((kind) =>
    fc.tuple(fc.constantFrom(...kind.fields), fc.array(kind.value, { minLength: 1, maxLength: 4 })).map(([field, values]) => `${field} in (${values.join(', ')})`),
  ),
  fc.constantFrom(...kinds.flatMap((kind) => kind.fields)).map((field) => `${field} exists`),
  fc.tuple(fc.constantFrom('tolower', 'toupper', 'basename'), fc.constantFrom('proc.name', 'fd.name'), stringValue).map(([t, field, value]) => `${t}(${field}) = ${value}`),
  fc.tuple(fc.constantFrom('evt.type'), fc.constantFrom('execve', 'connect', 'open', 'openat')).map(([field, value]) => `${field} = ${value}`),
);

/** A condition over `and`, `or`, `not` and parentheses, a few levels deep. */
export const condition: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fc.tuple(tie('expr'), fc.constantFrom('and', 'or'), tie('expr')).map(([a, op, b]) => `${a} ${op} ${b}`),
    tie('expr').map((e) => `not ${e}`),
    tie('expr').map((e) => `(${e})`),
  ),
})).expr;

/** An event: some of the generated fields, with values of any shape (strings, numbers, null, odd text). */
export const event: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...kinds.flatMap((kind) => kind.fields), 'evt.type'),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null), ipv4, path, fc.constant('<NA>')),
  { maxKeys: 8 },
);

/** Random text that mixes condition tokens, so parsers see near-valid input more than noise. */
export const conditionNoise: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom('(', ')', ' and ', ' or ', 'not ', ' = ', ' in ', ',', '"', "'", '\\', '\\x', 'proc.name', 'fd.name[', ']', 'val(', 'glob', ' exists', 'evt.arg.', '0x', '/', '*'), fc.string({ maxLength: 4 })), { maxLength: 20 })
  .map((parts) => parts.join(''));

/** Replaces, deletes or inserts a few characters of `text`, favouring characters that matter to the syntax. */
export function mutationOf(text: string, significant: string): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(Math.max(text.length, 1)), fc.nat(3), fc.oneof(fc.constantFrom(...significant.split('')), fc.string({ maxLength: 3 })));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let result = text;
    for (const [at, deleted, inserted] of edits) {
      const position = Math.min(at, result.length);
      result = result.slice(0, position) + inserted + result.slice(position + deleted);
    }
    return result;
  });
}

const spaces = fc.constantFrom(' ', '  ', ' ');
const comment = fc.constantFrom('', '', ' # note', ' # a (comment), with "quotes"');

/** A `.falx` program: typed lists, macros, rules using them, tests; laid out untidily. */
export const falxProgram: fc.Arbitrary<string> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('binary', 'string', 'path'), fc.array(fc.oneof(word, quoted), { minLength: 1, maxLength: 4 }), comment), { minLength: 0, maxLength: 2 }),
    fc.array(fc.tuple(condition, comment), { minLength: 0, maxLength: 2 }),
    fc.array(fc.tuple(condition, fc.constantFrom('WARNING', 'notice', 'CRITICAL'), fc.array(word, { maxLength: 3 }), fc.boolean(), event), { minLength: 1, maxLength: 3 }),
    spaces,
  )
  .map(([lists, macros, rules, space]) => {
    const lines: string[] = [];
    lists.forEach(([type, items, note], i) => lines.push(`list l${i}:${space}${type}[] = [${items.join(`,${space}`)}]${note}`));
    macros.forEach(([text, note], i) => lines.push(`macro m${i} =${space}${text}${note}`));
    rules.forEach(([text, priority, tags, enabled, fields], i) => {
      const uses = [...(lists.length > 0 ? [`proc.name in (l0)`] : []), ...(macros.length > 0 ? ['m0'] : [])];
      lines.push(`rule "R${i}" {`, `  desc: "rule ${i}"`, `  condition: evt.type = execve and (${[text, ...uses].join(' and ')})`);
      lines.push(`  output:${space}"seen (command=%proc.cmdline file=%fd.name)"`, `  priority: ${priority}`);
      if (tags.length > 0) lines.push(`  tags: [${tags.join(', ')}]`);
      if (!enabled) lines.push('  enabled: false');
      lines.push('}', '');
      const values = Object.entries(fields).filter(([, v]) => typeof v === 'string' && /^[a-z0-9/._-]+$/.test(v));
      if (values.length > 0) lines.push(`test "R${i}" {`, `  ignores: { ${values.map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`, '}', '');
    });
    return `${lines.join('\n')}\n`;
  });
