/**
 * Prints a `.falx` file in its one canonical layout (`falx fmt`). The output depends only on the
 * AST (locations aside) and on where the comments were, so printing is idempotent, and parsing the
 * output gives the same AST, with rule and exception properties in canonical order.
 *
 * Layout:
 * - declarations separated by one blank line; consecutive `import`/`requires` lines grouped;
 * - 2-space indentation inside `{ }`; `key: value` one per line; rule keys in the order of
 *   {@link ruleKeyOrder}, exceptions last; exception keys as `fields`, `comps`, `values`;
 * - lists and maps on one line when they fit in {@link lineWidth} columns, else one item per line
 *   with a trailing comma;
 * - a condition on one line when `key: condition` fits, else broken before each top-level
 *   `and`/`or`, one operand per line, 4 columns deeper than the key; an operand group that still
 *   does not fit is broken the same way inside `(` and `)`;
 * - strings double-quoted with JSON escapes; words bare when they read back as the same word.
 *
 * Comments: a comment line before a declaration or property stays before it (blank lines between
 * comment blocks are kept, one at most); a comment at the end of a line stays at the end of that
 * line; a comment inside a condition, list or value moves to the line just above the declaration or
 * property that holds it (conditions and lists are re-laid out, so it has no line of its own).
 */
import type { Expr } from './ast.ts';
import type {
  Comment, ConditionText, Declaration, ExceptionDecl, FalxFile, ListElement, ListLiteralValue, Literal, MapLiteral,
  Property, PropertyValue, RuleEntry, Spread, TestCase, Word,
} from './falx-ast.ts';
import { printCondition } from './print-condition.ts';

/** The column limit lists, maps and conditions are broken at. */
export const lineWidth = 100;

/** Rule keys in canonical order (`skip-if-unknown-filter` is the YAML spelling of the same key). */
export const ruleKeyOrder = [
  'desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'source', 'warn_evttypes',
  'skip_if_unknown_filter', 'capture', 'capture_duration',
] as const;

const exceptionKeyOrder = ['fields', 'comps', 'values'] as const;

/** Rule body entries in canonical order: known keys by {@link ruleKeyOrder}, unknown keys, exceptions. */
export function canonicalRuleEntries(entries: readonly RuleEntry[]): RuleEntry[] {
  const rank = (entry: RuleEntry): number => {
    if (entry.kind === 'Exception') return 1000;
    const key = entry.key.text === 'skip-if-unknown-filter' ? 'skip_if_unknown_filter' : entry.key.text;
    const at = (ruleKeyOrder as readonly string[]).indexOf(key);
    return at === -1 ? 500 : at;
  };
  return stableSort(entries, rank);
}

/** Exception properties in canonical order: `fields`, `comps`, `values`, then any other key. */
export function canonicalExceptionProperties(body: readonly Property[]): Property[] {
  return stableSort(body, (p) => {
    const at = (exceptionKeyOrder as readonly string[]).indexOf(p.key.text);
    return at === -1 ? 500 : at;
  });
}

function stableSort<T>(items: readonly T[], rank: (item: T) => number): T[] {
  return items.map((item, index) => ({ item, index, rank: rank(item) })).sort((a, b) => a.rank - b.rank || a.index - b.index).map((e) => e.item);
}

/** Prints a parsed (or built) `.falx` file; the text ends with a newline unless it is empty. */
export function printFalx(file: FalxFile): string {
  return new FalxPrinter(file).print();
}

/** The nodes comments attach to: declarations and the entries of `{ }` bodies. */
type Located = Declaration | RuleEntry | TestCase;

type Container = Located | FalxFile;

const headerKinds = new Set<Declaration['kind']>(['Import', 'Requires']);

class FalxPrinter {
  /** Comment lines just before a node. */
  private readonly leading = new Map<Container, Comment[]>();
  /** Comments inside a node's text that is re-laid out (conditions, lists): printed above it. */
  private readonly inner = new Map<Container, Comment[]>();
  /** The comment after a node, on its last line. */
  private readonly trailing = new Map<Container, Comment>();
  /** A comment on the first line of a `{ }` body, before its first entry. */
  private readonly header = new Map<Container, Comment[]>();
  /** Comments after the last entry of a body (or the file). */
  private readonly end = new Map<Container, Comment[]>();

  constructor(private readonly file: FalxFile) {
    this.distribute(file.comments, file.declarations, file, undefined);
  }

  print(): string {
    const out: string[] = [];
    const declarations = this.file.declarations;
    declarations.forEach((declaration, i) => {
      const previous = declarations[i - 1];
      const grouped = previous !== undefined && headerKinds.has(previous.kind) && headerKinds.has(declaration.kind);
      if (i > 0 && !grouped) out.push('');
      out.push(...this.withComments(declaration, '', this.declaration(declaration)));
    });
    const last = declarations[declarations.length - 1];
    out.push(...this.endComments(this.file, '', last?.loc.end.line));
    return out.length === 0 ? '' : `${out.join('\n')}\n`;
  }

  // ---- Comments --------------------------------------------------------------------------------

  /** Assigns each comment to the node it belongs to, recursing into `{ }` bodies. */
  private distribute(comments: readonly Comment[], nodes: readonly Located[], owner: Container, headerLine: number | undefined): void {
    const insideOf = new Map<Located, Comment[]>();
    for (const comment of comments) {
      const at = comment.loc.start.offset;
      const inside = nodes.find((n) => n.loc.start.offset <= at && at < n.loc.end.offset);
      if (inside !== undefined) {
        push(insideOf, inside, comment);
        continue;
      }
      const before = [...nodes].reverse().find((n) => n.loc.end.offset <= at);
      if (before !== undefined && before.loc.end.line === comment.loc.start.line && !this.trailing.has(before)) {
        this.trailing.set(before, comment);
        continue;
      }
      if (before === undefined && headerLine !== undefined && comment.loc.start.line === headerLine) {
        push(this.header, owner, comment);
        continue;
      }
      const after = nodes.find((n) => n.loc.start.offset > at);
      if (after !== undefined) push(this.leading, after, comment);
      else push(this.end, owner, comment);
    }
    for (const [node, inside] of insideOf) {
      const children = childrenOf(node);
      if (children === undefined) push(this.inner, node, ...inside);
      else this.distribute(inside, children, node, node.loc.start.line);
    }
  }

  /** A node's lines with its comments: leading blocks, moved inner comments, trailing comment. */
  private withComments(node: Located, indent: string, lines: string[]): string[] {
    const out: string[] = [];
    const leading = this.leading.get(node) ?? [];
    leading.forEach((comment, i) => {
      const previous = leading[i - 1];
      if (previous !== undefined && comment.loc.start.line - previous.loc.start.line > 1) out.push('');
      out.push(indent + commentText(comment));
    });
    const lastLeading = leading[leading.length - 1];
    if (lastLeading !== undefined && node.loc.start.line - lastLeading.loc.start.line > 1) out.push('');
    for (const comment of this.inner.get(node) ?? []) out.push(indent + commentText(comment));
    const trailing = this.trailing.get(node);
    if (trailing !== undefined && lines.length > 0) lines[lines.length - 1] += ` ${commentText(trailing)}`;
    out.push(...lines);
    return out;
  }

  /** Comments after the last node of `owner`, one blank line kept before them if there was one. */
  private endComments(owner: Container, indent: string, lastLine: number | undefined): string[] {
    const comments = this.end.get(owner) ?? [];
    const out: string[] = [];
    comments.forEach((comment, i) => {
      const previousLine = i === 0 ? lastLine : comments[i - 1]!.loc.start.line;
      if (previousLine !== undefined && comment.loc.start.line - previousLine > 1) out.push('');
      out.push(indent + commentText(comment));
    });
    return out;
  }

  /** `head {`, the entries at `indent` + 2, `}`; comments of the body included. */
  private body<T extends Located>(owner: Located, head: string, indent: string, entries: readonly T[], print: (entry: T, inner: string) => string[]): string[] {
    const inner = `${indent}  `;
    const header = this.header.get(owner) ?? [];
    const open = header.length > 0 ? `${head} { ${header.map(commentText).join(' ')}` : `${head} {`;
    const lines = entries.flatMap((entry) => this.withComments(entry, inner, print(entry, inner)));
    // Entries may have been reordered: the gap before the end comments counts from the last in the file.
    const lastLine = Math.max(owner.loc.start.line, ...entries.map((e) => e.loc.end.line));
    lines.push(...this.endComments(owner, inner, lastLine));
    if (lines.length === 0 && header.length === 0) return [`${head} {}`];
    return [open, ...lines, `${indent}}`];
  }

  // ---- Declarations ----------------------------------------------------------------------------

  private declaration(d: Declaration): string[] {
    switch (d.kind) {
      case 'Import': {
        const target = d.target.upstream ? 'upstream' : printString(d.target.path.value);
        return [`import ${target}${d.bundle ? ' bundle' : ''}`];
      }
      case 'Requires':
        return [d.what === 'engine' ? `requires engine ${d.version.text}` : `requires plugin ${d.plugin?.text ?? ''} ${d.version.text}`];
      case 'List':
        return this.list(`list ${d.name.text}: ${d.elementType.text}[] = `, d.items, '');
      case 'ListExtension':
        return this.list(`${d.operation} list ${d.name.text} = `, d.items, '');
      case 'Macro':
        return conditionLines(`macro ${d.name.text} =`, d.condition, '');
      case 'MacroExtension':
        return conditionLines(`${d.operation} macro ${d.name.text}${d.operation === 'replace' ? ' =' : ''}`, d.condition, '');
      case 'Rule':
        return this.ruleBody(d, `rule ${printString(d.name.value)}`, d.body);
      case 'RuleExtension':
        return this.ruleBody(d, `${d.operation} rule ${printString(d.name.value)}`, d.body);
      case 'RuleToggle':
        return [`${d.enabled ? 'enable' : 'disable'} rule ${printString(d.name.value)}`];
      case 'Policy':
        return this.body(d, `policy ${d.policy.text} ${printString(d.name.value)}`, '', d.body, (p, inner) => this.property(p, inner));
      case 'Test':
        return this.body(d, `test ${printString(d.rule.value)}`, '', d.cases, (c, inner) => this.testCase(c, inner));
    }
  }

  private list(head: string, items: readonly ListElement[], indent: string): string[] {
    return bracketed(head, '[', ']', items.map(printListItem), indent);
  }

  private ruleBody(owner: Located, head: string, entries: readonly RuleEntry[]): string[] {
    return this.body(owner, head, '', canonicalRuleEntries(entries), (entry, inner) => this.ruleEntry(entry, inner));
  }

  private ruleEntry(entry: RuleEntry, indent: string): string[] {
    if (entry.kind === 'Property') return this.property(entry, indent);
    return this.exception(entry, indent);
  }

  private exception(d: ExceptionDecl, indent: string): string[] {
    return this.body(d, `${indent}exception ${d.name.text}`, indent, canonicalExceptionProperties(d.body), (p, inner) => this.property(p, inner));
  }

  private property(p: Property, indent: string): string[] {
    return valueLines(`${indent}${p.key.text}:`, p.value, indent);
  }

  private testCase(c: TestCase, indent: string): string[] {
    return valueLines(`${indent}${c.expect}:`, c.event, indent);
  }
}

/** The nodes inside a node's `{ }` body, or undefined when it has none. */
function childrenOf(node: Located): readonly Located[] | undefined {
  switch (node.kind) {
    case 'Rule':
    case 'RuleExtension':
    case 'Exception':
    case 'Policy':
      return node.body;
    case 'Test':
      return node.cases;
    default:
      return undefined;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [...values]);
  else list.push(...values);
}

function commentText(comment: Comment): string {
  return `#${comment.text.trimEnd()}`;
}

// ---- Values ------------------------------------------------------------------------------------

/** `head value`, where `head` ends with the key and its colon (or `=`). */
function valueLines(head: string, value: PropertyValue, indent: string): string[] {
  switch (value.kind) {
    case 'Condition':
      return conditionLines(head, value, indent);
    case 'ListValue':
      return bracketed(`${head} `, '[', ']', value.items.map(printListValueItem), indent);
    case 'Map':
      return mapLines(`${head} `, value, indent);
    default:
      return [`${head} ${printLiteral(value)}`];
  }
}

/** `head[a, b]` when it fits, else one item per line with a trailing comma. */
function bracketed(head: string, open: string, close: string, items: readonly string[], indent: string): string[] {
  const flat = `${head}${open}${items.join(', ')}${close}`;
  if (items.length === 0 || flat.length <= lineWidth) return [flat];
  return [`${head}${open}`, ...items.map((item) => `${indent}  ${item},`), `${indent}${close}`];
}

function mapLines(head: string, map: MapLiteral, indent: string): string[] {
  const entries = map.entries.map((e) => `${printMapKey(e.key)}: ${e.value.kind === 'ListValue' ? printListValue(e.value) : printLiteral(e.value)}`);
  if (entries.length === 0) return [`${head}{}`];
  const flat = `${head}{ ${entries.join(', ')} }`;
  if (flat.length <= lineWidth) return [flat];
  return [`${head}{`, ...entries.map((entry) => `${indent}  ${entry},`), `${indent}}`];
}

/** A field name or label key as written bare; any other key (`app.kubernetes.io/name`) quoted. */
function printMapKey(key: Word): string {
  return /^[a-zA-Z][a-zA-Z0-9_.]*(\[[^\]\n]*\])?$/.test(key.text) ? key.text : printLiteral({ kind: 'String', value: key.text, loc: key.loc });
}

function printListItem(item: ListElement): string {
  return item.kind === 'Spread' ? printSpread(item) : printLiteral(item);
}

function printListValueItem(item: Literal | ListLiteralValue | Spread): string {
  if (item.kind === 'ListValue') return printListValue(item);
  return printListItem(item);
}

function printListValue(list: ListLiteralValue): string {
  return `[${list.items.map(printListValueItem).join(', ')}]`;
}

function printSpread(spread: Spread): string {
  return `...${spread.list.text}`;
}

/** A double-quoted string with JSON escapes (the `.falx` string syntax). */
export function printString(value: string): string {
  return JSON.stringify(value);
}

/** Whether `text` reads back as the bare word `text` (not a number, constant, spread or comment). */
export function isBareWord(text: string): boolean {
  return /^[^ \t\r\n,[\]{}()"'#]+$/.test(text) && !/^(true|false|null)$/.test(text) && !/^[+-]?[0-9]+(\.[0-9]+)?$/.test(text) && !text.startsWith('...');
}

export function printLiteral(literal: Literal): string {
  switch (literal.kind) {
    case 'String':
      return printString(literal.value);
    case 'Number':
      return literal.text;
    case 'Constant':
      return String(literal.value);
    case 'Word':
      return isBareWord(literal.text) ? literal.text : printString(literal.text);
  }
}

// ---- Conditions --------------------------------------------------------------------------------

/** The columns a broken condition's operands are indented by, under its key. */
const conditionIndent = '    ';

/**
 * `head condition` on one line when it fits; else `head` alone and the condition broken before
 * each top-level `and`/`or`, 4 columns deeper than `indent`.
 */
function conditionLines(head: string, condition: ConditionText, indent: string): string[] {
  const joiner = condition.joiner === undefined ? '' : `${condition.joiner} `;
  // `and (a or b)` must keep its parentheses: Falco joins the text to the old condition.
  const grouped = condition.joiner === 'and' && condition.expr.kind === 'Or';
  const text = grouped ? `(${printCondition(condition.expr)})` : printCondition(condition.expr);
  const flat = `${head} ${joiner}${text}`;
  if (flat.length <= lineWidth) return [flat];
  const inner = indent + conditionIndent;
  const lines = grouped ? groupLines(condition.expr, inner, joiner) : topLines(condition.expr, inner, joiner);
  return [head, ...lines];
}

/** A whole condition broken at its top level (and inside `not (...)`). */
function topLines(expr: Expr, indent: string, prefix: string): string[] {
  if (expr.kind === 'And' || expr.kind === 'Or') return operandLines(expr.kind, expr.operands, indent, prefix);
  if (expr.kind === 'Not' && (expr.operand.kind === 'And' || expr.operand.kind === 'Or')) return groupLines(expr.operand, indent, `${prefix}not `);
  return [`${indent}${prefix}${printCondition(expr)}`];
}

/** `prefix(`, the group's operands 4 columns deeper, `)`. */
function groupLines(expr: Expr, indent: string, prefix: string): string[] {
  if (expr.kind !== 'And' && expr.kind !== 'Or') return [`${indent}${prefix}(${printCondition(expr)})`];
  return [`${indent}${prefix}(`, ...operandLines(expr.kind, expr.operands, indent + conditionIndent, ''), `${indent})`];
}

/** One operand per line, the first after `prefix`, the others after the keyword. */
function operandLines(kind: 'And' | 'Or', operands: readonly Expr[], indent: string, prefix: string): string[] {
  const keyword = kind === 'And' ? 'and ' : 'or ';
  return operands.flatMap((operand, i) => {
    const lead = i === 0 ? prefix : keyword;
    const text = needsParentheses(operand, kind) ? `(${printCondition(operand)})` : printCondition(operand);
    const flat = `${indent}${lead}${text}`;
    if (flat.length <= lineWidth) return [flat];
    // Parentheses around an `and` group under `or` are not needed, but harmless: the tree is the same.
    if (operand.kind === 'And' || operand.kind === 'Or') return groupLines(operand, indent, lead);
    if (operand.kind === 'Not' && (operand.operand.kind === 'And' || operand.operand.kind === 'Or')) return groupLines(operand.operand, indent, `${lead}not `);
    return [flat];
  });
}

/** As print-condition.ts: libsinsp keeps `(a and b) and c` nested, so nesting needs parentheses. */
function needsParentheses(child: Expr, parent: 'And' | 'Or'): boolean {
  if (child.kind !== 'And' && child.kind !== 'Or') return false;
  return !(parent === 'Or' && child.kind === 'And');
}
