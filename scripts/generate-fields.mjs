// Generates src/builder/generated/fields.ts from the field catalog (src/check/catalog/fields.jsonl)
// and the event table (events.json), so that the TypeScript rules builder knows every field, its
// type and every event type at compile time. (Upstream macro and list names are plain strings:
// the upstream rules are the user's, checked when a module is compiled.) Run by `npm run gen` (with
// the parsers), on install and before tests; the generated file is never edited or committed.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src/builder/generated');

// The operator methods of field accessors: a field below a field, with one of these names, would
// hide the method (`evt.buflen.in`), so such fields are reachable only through `field('name')`.
const operatorMethods = new Set([
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', 'endswith',
  'glob', 'iglob', 'regex', 'pmatch', 'in', 'intersects', 'exists',
]);
// Fields that take an argument are functions: their own properties cannot name fields below them.
const functionProperties = new Set(['name', 'length', 'call', 'apply', 'bind', 'prototype', 'caller', 'arguments', 'toString', 'constructor']);

const fields = readFileSync(join(root, 'src/check/catalog/fields.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));
const events = JSON.parse(readFileSync(join(root, 'src/check/catalog/events.json'), 'utf8'));

/** The builder's kind of a field: decides its operators and values (src/builder/kinds.ts). */
function kindOf(field) {
  if (field.list) return 'list';
  if (field.name === 'evt.type') return 'evtype';
  switch (field.type) {
    case 'CHARBUF': return 'string';
    case 'BYTEBUF': return 'buffer';
    case 'BOOL': return 'bool';
    case 'IPADDR': return 'ipaddr';
    case 'IPNET': return 'ipnet';
    case 'PORT': return 'port';
    case 'DYNAMIC': return 'dynamic';
    default: return 'numeric';
  }
}

// Ancestor fields take a generation index and environment fields a variable name (libsinsp's
// ARG_INDEX / ARG_KEY, which the catalog does not record for these).
const indexFields = new Set(['proc.aexe', 'proc.aexepath', 'proc.aname', 'proc.aargs', 'proc.acmdline', 'proc.apid']);
const keyFields = new Set(['proc.env', 'proc.aenv']);

/** What an argument is: an index (`proc.aname[2]`), a key (`proc.env[HOME]`), or either. */
function argOf(field) {
  if (field.arg === 'none') return 'none';
  const index = indexFields.has(field.name) || field.flags.includes('ARG_INDEX');
  const key = keyFields.has(field.name) || field.flags.includes('ARG_KEY');
  const kind = index && !key ? 'index' : key && !index ? 'key' : 'any';
  return `${field.arg === 'required' ? 'required' : 'allowed'}-${kind}`;
}

const specs = fields.map((field) => ({
  name: field.name,
  type: field.type,
  kind: kindOf(field),
  arg: argOf(field),
  transform: !field.flags.includes('EPF_NO_TRANSFORMER'),
  rhs: !field.flags.includes('EPF_NO_RHS'),
  deprecated: field.deprecated,
  desc: field.desc,
}));

// The nested accessor tree: `f.fd.sip.name`.
const tree = { children: new Map() };
const skipped = [];
for (const spec of specs) {
  const segments = spec.name.split('.');
  if (segments.some((s) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(s))) {
    skipped.push(spec.name);
    continue;
  }
  let node = tree;
  for (const segment of segments) {
    if (!node.children.has(segment)) node.children.set(segment, { children: new Map() });
    node = node.children.get(segment);
  }
  node.spec = spec;
}
// Drop the fields whose segment collides with a property of the field above them.
(function prune(node) {
  for (const [segment, child] of node.children) {
    const parent = node.spec;
    const hides = parent !== undefined && (operatorMethods.has(segment) || (parent.arg !== 'none' && functionProperties.has(segment)));
    if (hides) {
      node.children.delete(segment);
      (function collect(n) {
        if (n.spec !== undefined) skipped.push(n.spec.name);
        for (const c of n.children.values()) collect(c);
      })(child);
    } else {
      prune(child);
    }
  }
})(tree);

function accessorType(spec) {
  const field = `FieldOperand<${JSON.stringify(spec.kind)}, ${spec.transform}, ${spec.rhs}>`;
  switch (spec.arg) {
    case 'none':
      return field;
    default: {
      const [need, kind] = spec.arg.split('-');
      const argType = kind === 'index' ? 'number' : kind === 'key' ? 'string' : 'string | number';
      const call = `((arg: ${argType}) => ${field})`;
      return need === 'required' ? call : `${call} & ${field}`;
    }
  }
}

function comment(spec, indent) {
  const text = `${spec.name} (${spec.type}${spec.kind === 'list' ? ' list' : ''}): ${spec.desc}`.replace(/\*\//g, '* /');
  return `${indent}/** ${text}${spec.deprecated ? ' @deprecated' : ''} */\n`;
}

function treeType(node, indent) {
  const lines = [];
  for (const [segment, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const own = child.spec === undefined ? undefined : accessorType(child.spec);
    const nested = child.children.size > 0 ? `{\n${treeType(child, `${indent}  `)}${indent}}` : undefined;
    const type = own !== undefined && nested !== undefined ? `${own} & ${nested}` : own ?? nested;
    if (child.spec !== undefined) lines.push(comment(child.spec, indent));
    lines.push(`${indent}readonly ${segment}: ${type};\n`);
  }
  return lines.join('');
}

const union = (values) => (values.length === 0 ? 'never' : values.map((v) => `\n  | ${JSON.stringify(v)}`).join(''));

const text = `// @generated by scripts/generate-fields.mjs from src/check/catalog/fields.jsonl and events.json;
// do not edit.
import type { FieldOperand } from '../operands.ts';
import type { FieldSpec } from '../kinds.ts';

/** Every field of the catalog: its libsinsp type, builder kind, argument and flags. */
export const fieldSpecs = ${JSON.stringify(Object.fromEntries(specs.map(({ desc: _desc, deprecated: _deprecated, name, ...rest }) => [name, rest])), null, 0).replace(/\},"/g, '},\n  "')} as const satisfies Record<string, FieldSpec>;

/** Fields left out of the nested accessors (a segment would hide an operator); use \`field(name)\`. */
export const unnestedFields: readonly string[] = ${JSON.stringify(skipped)};

/** The name of every field of the catalog. */
export type FieldName = keyof typeof fieldSpecs;

/** The nested field accessors (\`f.proc.name\`, \`f.proc.aname(2)\`). */
export interface FieldTree {
${treeType(tree, '  ')}}

/** Every value \`evt.type\` accepts (libsinsp event and syscall names). */
export type EventType = ${union(events.eventTypes)};
`;

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'fields.ts'), text);
