/**
 * How deep libsinsp's recursive-descent parser recurses to read a condition: Falco 0.45 (libs
 * 0.26) refuses a condition past a depth of 1,000 ("exceeded max depth limit of 1000"). Each
 * level of parentheses around a boolean expression costs five steps (or, and, not, check and the
 * parenthesised remainder), each nested transformer two; reading a check and its value two more;
 * chained `not`s are read in a loop and cost nothing. So 198 nested parentheses or 497 nested
 * transformers are the most a condition can hold. Computed from the text, as libsinsp counts,
 * since the AST does not keep parentheses.
 */

const callNames = /(?:tolower|toupper|b64|basename|len|join|concat|getopt|val)$/;
const listOperators = /(?:\bin|\bintersects|\bpmatch|\boneof|\banyof|\ballof|=|<|>|\bcontains|\bstartswith|\bendswith|\bglob|\bregex)\s*$/;

type Paren = 'embed' | 'call' | 'list';

/** The deepest recursion libsinsp's parser reaches on `text`. */
export function parserDepth(text: string): number {
  const stack: Paren[] = [];
  let embeds = 0;
  let calls = 0;
  let max = 0;
  const depthHere = (): number => 5 * embeds + 4 + (calls > 0 ? 2 * calls + 1 : 2);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      // A quoted string: skip to its closing quote.
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      continue;
    }
    if (c === '(') {
      const before = text.slice(Math.max(0, i - 12), i);
      const inside = stack[stack.length - 1];
      const paren: Paren = callNames.test(before) ? 'call' : inside === 'call' || inside === 'list' || listOperators.test(before) ? 'list' : 'embed';
      stack.push(paren);
      if (paren === 'embed') embeds += 1;
      else if (paren === 'call') calls += 1;
      max = Math.max(max, depthHere());
    } else if (c === ')') {
      const paren = stack.pop();
      if (paren === 'embed') embeds -= 1;
      else if (paren === 'call') calls -= 1;
    } else if (/[\w.]/.test(c)) {
      max = Math.max(max, depthHere());
    }
  }
  return max;
}

/**
 * Whether `text` could pass `limit` at all: past the six steps any check costs, depth comes only
 * from parentheses (at most five steps each), so a condition with too few is not scanned.
 */
export function mayExceedDepth(text: string, limit: number): boolean {
  let parens = 0;
  for (let i = text.indexOf('('); i !== -1; i = text.indexOf('(', i + 1)) parens += 1;
  return 5 * parens + 6 > limit;
}

/** libsinsp's limit (Falco 0.45 and later): a deeper condition is refused. */
export const maxParserDepth = 1000;
