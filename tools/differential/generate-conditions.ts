/**
 * Writes the differential corpus of conditions, one JSON string per line, to stdout:
 * `node --import tsx tools/differential/generate-conditions.ts [COUNT] [SEED] [well-formed]`.
 *
 * Each condition is built from the field catalog (libsinsp's own fields, and the container
 * plugin's for the cases that load it) and covers: every operator on fields of every type, with
 * values valid and not for the type (numbers, negative and huge numbers, addresses, networks,
 * quoted and bare strings, escapes, empty strings and lists), operator modifiers and words that
 * look like them, field arguments (indexes, names, dotted forms, quoted, empty), transformers
 * with every argument form (fields, strings, numbers, list literals, nested transformers,
 * `val()`), boolean structure, and syntax mistakes. The engine's verdict for each is recorded
 * separately (tools/differential/README.md).
 */
import { catalogFields, type FieldInfo } from '../../src/check/catalog/catalog.ts';
import { Random } from './random.ts';

const count = Number(process.argv[2] ?? 20_000);
const random = new Random(Number(process.argv[3] ?? 1));
/** `well-formed`: conditions meant to compile (field, an operator of its type, values of its type); otherwise anything goes. */
const wellFormed = process.argv[4] === 'well-formed';

const fields = catalogFields().filter((field) => field.source === 'libsinsp');
const byType = (test: (field: FieldInfo) => boolean): FieldInfo[] => fields.filter(test);
const plain = byType((field) => field.arg === 'none');
const strings = byType((field) => field.type === 'CHARBUF' && !field.list && field.arg === 'none');
const numbers = byType((field) => ['UINT64', 'INT64', 'UINT32', 'INT32', 'INT16', 'RELTIME', 'ABSTIME', 'PORT', 'DOUBLE'].includes(field.type) && field.arg === 'none');
const withArgument = byType((field) => field.arg !== 'none');
const lists = byType((field) => field.list);

const operators = ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith', 'glob', 'iglob', 'pmatch', 'in', 'intersects', 'exists', 'regex'];
const modifierWords = ['anyof', 'allof', 'oneof'];
const transformers = ['tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'];

const bareValues = ['bash', '/tmp', '/etc/passwd', '*.sh', 'a*b?', '0', '1', '-1', '42', '4294967296', '18446744073709551616', '-9223372036854775809', '0x10', '1.5', '1e3', 'true', 'false', '10.0.0.1', '::1', '10.0.0.0/8', 'fe80::/10', '300.1.1.1', '100.x.x.x', '10.0.0.0/33', 'anyof', 'oneof', 'allof', 'and', 'or', 'not', 'in', 'exists', 'val', 'proc.name', 'a.b', 'x-y', 'x:y', '%p', '#'];
const quotedValues = ['""', '"bash"', "'bash'", '"a b"', '"a\\"b"', '"a\\\\b"', '"\\x41"', '"\\x4"', '"\\xg1"', '"\\x00"', '"\\n"', '"\\t"', '"\\ "', '"\\q"', '"\\u0041"', '"a,b"', '"(a)"', '"unterminated', "'mixed\"", '"caf\u00e9"', '"\\/"', '"\\b"', '"\\\'"', "'a\\'b'"];
const escapesBare = ['\\ ', 'a\\ b', '\\x41', 'a\\,b', '\\(x\\)'];

function value(): string {
  const kind = random.int(10);
  if (kind < 5) return random.pick(bareValues);
  if (kind < 9) return random.pick(quotedValues);
  return random.pick(escapesBare);
}

function listLiteral(): string {
  const size = random.int(4);
  const items = Array.from({ length: size }, () => (random.chance(0.15) ? random.pick(plain).name : value()));
  const separator = random.pick([', ', ',', ' ,', ' , ', ' ']);
  const list = `(${items.join(separator)})`;
  return random.chance(0.05) ? `(${list})` : list;
}

function fieldArgument(field: FieldInfo): string {
  const forms = ['[0]', '[1]', '[2]', '[-1]', '[name]', '[fd]', '[res]', '[foo]', '[]', '["quoted"]', '[a b]', '[10.0.0.1]', '[/tmp]', '[0x1]', '[999999999999]', '.fd', '.name', '.role', '.foo.bar', '[key]', '[PATH]'];
  const form = random.pick(forms);
  return `${field.name}${form}`;
}

function fieldReference(): string {
  const kind = random.int(10);
  if (kind < 6) return random.pick(plain).name;
  if (kind < 8) return fieldArgument(random.pick(withArgument));
  if (kind < 9) return fieldArgument(random.pick(plain));
  return random.pick(['proc.nme', 'proc', 'evt', 'a.b', 'fd.nam', 'proc.name.x', 'container.id', 'k8s.ns.name', 'k8s.pod.label.app', 'proc.aname[x]', 'val', 'thread.tid']);
}

function transformerArgument(depth: number): string {
  const kind = random.int(12);
  if (kind < 4) return fieldReference();
  if (kind < 6) return random.pick(quotedValues);
  if (kind < 7) return random.pick(['1', '0', '-5', 'bare', '3.5']);
  if (kind < 9) {
    const items = Array.from({ length: 1 + random.int(3) }, () => (random.chance(0.5) ? fieldReference() : random.pick(['"a"', "'b'", '"-n"', '"-t"', '"hello"', '1', 'x'])));
    return `(${items.join(random.pick([', ', ',']))})`;
  }
  if (kind < 10) return '()';
  return depth < 3 ? transformer(depth + 1) : fieldReference();
}

function transformer(depth = 0): string {
  const name = random.chance(0.95) ? random.pick(transformers) : random.pick(['upper', 'val', 'TOLOWER', 'len ']);
  const argumentCount = name === 'join' || name === 'getopt' ? random.pick([2, 2, 2, 1, 3]) : name === 'concat' ? random.pick([2, 3, 1, 4]) : random.pick([1, 1, 1, 1, 2, 0]);
  const args = Array.from({ length: argumentCount }, () => {
    if (name === 'join' && random.chance(0.5)) return random.chance(0.5) ? random.pick(['"-"', "','", '":"']) : `(${Array.from({ length: 1 + random.int(3) }, () => (random.chance(0.6) ? random.pick(strings).name : '"lit"')).join(', ')})`;
    if (name === 'getopt' && random.chance(0.5)) return random.chance(0.5) ? random.pick(['proc.args', 'proc.cmdline', '("-n", "-t", "x")', '("-t")']) : random.pick(['"nt:"', '"t:"', '":t:"', '""']);
    if (['tolower', 'toupper', 'b64', 'basename', 'len'].includes(name) && random.chance(0.6)) return random.chance(0.7) ? random.pick(strings).name : random.pick(lists).name;
    return transformerArgument(depth);
  });
  const selector = random.chance(0.1) ? random.pick(['[t]', '[n]', '[0]', '[x]', '']) : '';
  return `${name}(${args.join(random.pick([', ', ',']))})${selector}`;
}

function leftSide(): string {
  const kind = random.int(10);
  if (kind < 6) return fieldReference();
  if (kind < 9) return transformer();
  return random.pick(['', '"quoted"', '42', '(proc.name)', 'val(proc.name)']);
}

function rightSide(operator: string): string {
  if (operator === 'exists') return '';
  if (operator === 'in' || operator === 'intersects' || operator === 'pmatch') {
    const kind = random.int(10);
    if (kind < 7) return listLiteral();
    if (kind < 8) return random.pick(['bash', 'my_list', '()', '(a, (b))', '(a']);
    return random.chance(0.5) ? transformer() : `val(${random.pick(plain).name})`;
  }
  const kind = random.int(12);
  if (kind < 8) return value();
  if (kind < 9) return `val(${fieldReference()})`;
  if (kind < 10) return transformer();
  if (kind < 11) return listLiteral();
  return random.pick(['', '(', ')', '= x', 'a b', 'val()', 'val(proc.name']);
}

function operator(): string {
  const op = random.pick(operators);
  const modifier = random.chance(0.12) ? random.pick(modifierWords) : undefined;
  if (modifier === undefined) return op;
  return random.pick([`${op} ${modifier}`, `${op}${modifier}`, `${op}  ${modifier}`]);
}

function comparison(): string {
  // Type-directed half the time: a value of the field's own kind, to exercise value parsing.
  if (random.chance(0.35)) {
    const field = random.pick([...numbers, ...strings, ...byType((f) => ['IPADDR', 'IPNET', 'BOOL', 'BYTEBUF', 'PORT'].includes(f.type))]);
    const op = random.pick(operators);
    return `${field.name} ${op}${op === 'exists' ? '' : ` ${rightSide(op)}`}`;
  }
  const op = operator();
  const right = rightSide(op.split(' ')[0] ?? op);
  const spaced = random.pick([' ', ' ', '', '  ', '\t', '\n']);
  return `${leftSide()}${spaced}${op}${right === '' ? '' : `${spaced === '' && /^[\w.]/.test(right) ? ' ' : spaced}${right}`}`;
}

/** Values a field of each type takes, mostly valid: most of these conditions should compile. */
const typedValues: Readonly<Record<string, readonly string[]>> = {
  CHARBUF: ['bash', '/tmp', '"a b"', "'x'", '/etc/*', 'sh', '"\\x41"', 'node'],
  BYTEBUF: ['abc', '"\\x00"', '616263'],
  UINT64: ['0', '1', '4096', '18446744073709551615', '-1', '1.5'],
  INT64: ['0', '-1', '42', '9223372036854775807', '-9223372036854775808'],
  UINT32: ['0', '65535', '4294967295', '4294967296'],
  INT32: ['0', '-7', '2147483647'],
  INT16: ['0', '-1', '32767', '32768'],
  RELTIME: ['0', '1000000', '5s', '1'],
  ABSTIME: ['0', '1700000000000000000'],
  DOUBLE: ['0', '1.5', '-2.25', '1e3', 'nan'],
  BOOL: ['true', 'false', '1', '0', 'yes'],
  IPADDR: ['10.0.0.1', '::1', '192.168.0.256', 'fe80::1', '127.0.0.1/8'],
  IPNET: ['10.0.0.0/8', '192.168.0.0/16', '::1/128', '10.0.0.1', '10.0.0.0/40'],
  PORT: ['80', '443', 'http', 'ssh', '65536', 'nosuch'],
  UINT16: ['80', '65535'],
};
const typedOperators: Readonly<Record<string, readonly string[]>> = {
  CHARBUF: ['=', '!=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'in', 'pmatch', 'regex', 'exists', 'bcontains', 'bstartswith'],
  BYTEBUF: ['=', 'contains', 'bcontains', 'bstartswith', 'startswith', 'exists', 'in'],
  IPADDR: ['=', '!=', 'in', 'exists', 'contains'],
  IPNET: ['=', '!=', 'in', 'exists'],
  BOOL: ['=', '!=', 'exists', 'in'],
};

/** A comparison meant to compile: a field, an operator its type takes, values of its type. */
function wellFormedComparison(): string {
  const kind = random.int(10);
  if (kind < 2) {
    // A transformer over a string field, compared as a string or a number.
    const field = random.pick(strings).name;
    const name = random.pick(['tolower', 'toupper', 'basename', 'b64', 'len']);
    return name === 'len' ? `len(${field}) ${random.pick(['=', '>', '<=', '!='])} ${random.pick(['0', '3', '10'])}` : `${name}(${field}) ${random.pick(['=', 'contains', 'startswith', 'in'])} ${random.chance(0.3) ? '(a, b)' : random.pick(['bash', '/TMP', '"x"'])}`;
  }
  if (kind < 3) {
    const list = random.pick(lists).name;
    return random.pick([`join(",", ${list}) contains ${random.pick(['open', 'a'])}`, `len(${list}) > 1`, `${list} intersects (open, close)`, `concat(${random.pick(strings).name}, "-", ${random.pick(strings).name}) = x`, `getopt((${random.pick(['"-n"', '"-t", "x"', '"-abc"'])}), "${random.pick(['n', 't:', 'abc'])}")${random.pick(['', '[t]', '[n]'])} ${random.pick(['intersects (n)', '= x', 'exists'])}`, `join("-", (${random.pick(strings).name}, ${random.pick(strings).name})) = a-b`]);
  }
  if (kind < 4) {
    const field = random.pick(withArgument);
    return `${field.name}${random.pick(['[1]', '[0]', '[HOME]', '.fd', '.name', '.res', '.cpu', '.open', '[-1]'])} ${random.pick(['exists', '= 1', '= x', '!= ""'])}`;
  }
  const field = random.pick(plain.filter((f) => typedValues[f.type] !== undefined));
  const op = random.pick(typedOperators[field.type] ?? ['=', '!=', '<', '<=', '>', '>=', 'in', 'exists']);
  if (op === 'exists') return `${field.name} exists`;
  const values = typedValues[field.type]!;
  if (op === 'in' || op === 'pmatch' || op === 'intersects') return `${field.name} ${op} (${Array.from({ length: 1 + random.int(3) }, () => random.pick(values)).join(', ')})`;
  if (random.chance(0.1)) return `${field.name} ${op} val(${random.pick(plain.filter((f) => f.type === field.type)).name})`;
  return `${field.name} ${op} ${random.pick(values)}`;
}

function condition(depth = 0): string {
  if (wellFormed) return wellFormedCondition(depth);
  const kind = depth > 2 ? 0 : random.int(10);
  if (kind < 5) return comparison();
  if (kind < 7) return `${condition(depth + 1)} ${random.pick(['and', 'or', 'and not', 'or not', 'AND', 'andnot', '&&'])} ${condition(depth + 1)}`;
  if (kind < 8) return `not ${random.chance(0.5) ? `(${condition(depth + 1)})` : condition(depth + 1)}`;
  if (kind < 9) return `(${condition(depth + 1)})`;
  return random.pick(['my_macro', 'not my_macro', '(', ')', '()', 'proc.name = bash)', '(proc.name = bash', 'proc.name = bash garbage', 'and proc.name = bash', 'proc.name = bash and', 'not', '', ' ', '"proc.name" = bash', 'proc.name in (bash', 'proc.name in bash, sh)', 'evt.type = open or', `${'('.repeat(20)}proc.name = x${')'.repeat(20)}`, `${'not '.repeat(30)}proc.name = x`, `${'tolower('.repeat(12)}proc.name${')'.repeat(12)} = x`]);
}

function wellFormedCondition(depth: number): string {
  const kind = depth > 2 ? 0 : random.int(10);
  if (kind < 6) return wellFormedComparison();
  if (kind < 8) return `${wellFormedCondition(depth + 1)} ${random.pick(['and', 'or', 'and not'])} ${wellFormedCondition(depth + 1)}`;
  if (kind < 9) return `not ${wellFormedCondition(depth + 1)}`;
  return `(${wellFormedCondition(depth + 1)})`;
}

const seen = new Set<string>();
const out: string[] = [];
let attempts = 0;
while (out.length < count && attempts < count * 20) {
  attempts += 1;
  const text = condition();
  if (seen.has(text)) continue;
  seen.add(text);
  out.push(JSON.stringify(text));
}
process.stdout.write(`${out.join('\n')}\n`);
