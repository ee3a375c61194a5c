/**
 * Where and why Falco's own condition parser stops on a condition it refuses.
 *
 * The generated parser decides whether a condition parses; this module only says where Falco
 * points and in its words, so that `falx check` and `falco -V` name the same place. A PEG parser
 * fails at the furthest point any alternative reached; libsinsp's hand-written recursive descent
 * stops where its one path through the text gave up (after the blanks it skipped, after a whole
 * quoted string whose escape is wrong, at the `and` that an identifier was mistaken for).
 *
 * It follows libs 0.25.4 `userspace/libsinsp/filter/parser.cpp` and `escaping.cpp` step by step,
 * lexer included; `hexEscapes` adds libs 0.26's `\xHH` escapes (Falco 0.45). Offsets are string
 * indexes (libsinsp counts bytes: the same for ASCII text).
 */

export interface FalcoParseError {
  readonly message: string;
  /** Where libsinsp's cursor stood when it gave up. */
  readonly offset: number;
  /** The escape sequence at fault, when a quoted string has a bad one, and where it is. */
  readonly escape?: { readonly text: string; readonly offset: number };
}

/** libsinsp's error for `text`, or undefined when libsinsp parses it. */
export function falcoParseError(text: string, options: { readonly hexEscapes?: boolean } = {}): FalcoParseError | undefined {
  const reader = new FalcoConditionReader(text, options.hexEscapes === true);
  try {
    reader.parse();
    return undefined;
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { message: error.message, offset: reader.pos, ...(error.escape !== undefined ? { escape: error.escape } : {}) };
  }
}

class Refusal extends Error {
  constructor(
    message: string,
    readonly escape?: { readonly text: string; readonly offset: number },
  ) {
    super(message);
  }
}

// The lexer's expressions (POSIX classes spelled out; every match is anchored at the cursor).
const notBlank = /not[\t\n\v\f\r ]+/y;
const identifier = /[a-zA-Z]+[a-zA-Z0-9_]*/y;
const fieldName = /[a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+/y;
const fieldArgBareString = /[^\][\"'\t\n\v\f\r ]+/y;
const hexNumber = /0[xX][0-9a-fA-F]+/y;
const decimalNumber = /[+-]?[0-9]+\.?[0-9]*(?:[eE][+-][0-9]+)?/y;
const bareString = /[^()"'\t\n\v\f\r =,]+/y;

// A trailing space marks an operator that needs a blank after it.
const unaryOperators = ['exists'];
const numberOperators = ['<=', '<', '>=', '>'];
const stringOperators = ['==', '=', '!=', 'glob ', 'iglob ', 'contains ', 'icontains ', 'bcontains ', 'startswith ', 'bstartswith ', 'endswith ', 'regex '];
const stringModifiers = ['oneof ', 'anyof ', 'allof '];
const listOperators = ['intersects', 'in', 'pmatch'];
const transformers = ['tolower(', 'toupper(', 'b64(', 'basename(', 'len(', 'join(', 'concat(', 'getopt('];

const quotedNames = (names: readonly string[]): string => names.map((name) => `'${name.trim()}'`).join(', ');
const operatorNames = quotedNames([...unaryOperators, ...numberOperators, ...stringOperators, ...listOperators]);
const transformerNames = quotedNames(['val', ...transformers.map((name) => name.slice(0, -1))]);

class FalcoConditionReader {
  pos = 0;
  private lastToken = '';

  constructor(
    private readonly text: string,
    private readonly hexEscapes: boolean,
  ) {}

  parse(): void {
    if (this.text.length === 0) throw new Refusal('filter input string is empty');
    this.parseOr();
    if (this.pos !== this.text.length) throw new Refusal(`unexpected token after '${this.lastToken}', expecting 'or', 'and'`);
  }

  private parseOr(): void {
    this.parseJoined('or', () => this.parseAnd());
  }

  private parseAnd(): void {
    this.parseJoined('and', () => this.parseNot());
  }

  /** `operand (keyword operand)*`; the keyword needs a blank or a `(` after it. */
  private parseJoined(keyword: 'and' | 'or', operand: () => void): void {
    this.blank();
    operand();
    this.blank();
    while (this.word(keyword)) {
      if (this.blank()) operand();
      else if (this.word('(')) this.parseEmbeddedRemainder();
      else throw new Refusal(`expected blank or '(' after '${keyword}'`);
      this.blank();
    }
  }

  private parseNot(): void {
    this.blank();
    while (this.match(notBlank));
    if (this.word('not(')) this.parseEmbeddedRemainder();
    else this.parseCheck();
  }

  /** The rest of a parenthesised expression, after its `(`. */
  private parseEmbeddedRemainder(): void {
    this.blank();
    this.parseOr();
    this.blank();
    if (!this.word(')')) throw new Refusal("expected a ')' token");
  }

  private parseCheck(): void {
    this.blank();
    if (this.word('(')) return this.parseEmbeddedRemainder();
    if (this.match(fieldName)) {
      this.parseOptionalFieldArgument();
      return this.parseCondition();
    }
    if (this.anyWord(transformers)) {
      this.blank();
      this.parseTransformerRemainder();
      return this.parseCondition();
    }
    if (this.match(identifier)) return;
    throw new Refusal("expected a '(' token, a field check, or an identifier");
  }

  private parseOptionalFieldArgument(): void {
    if (!this.word('[')) return;
    if (!this.quotedString() && !this.match(fieldArgBareString)) throw new Refusal('expected a valid field argument: a quoted string or a bare string');
    if (!this.word(']')) throw new Refusal("expected a ']' token");
  }

  /** A transformer's arguments and closing parenthesis, after `name(`. */
  private parseTransformerRemainder(): void {
    this.blank();
    do {
      this.parseTransformerArgument();
      this.blank();
    } while (this.word(','));
    this.blank();
    if (!this.word(')')) throw new Refusal("expected a ')' token closing the transformer");
    this.parseOptionalFieldArgument();
  }

  private parseTransformerArgument(): void {
    this.blank();
    if (this.match(hexNumber) || this.match(decimalNumber) || this.quotedString()) return;
    if (this.word('(')) return this.parseTransformerList();
    if (this.anyWord(transformers)) return this.parseTransformerRemainder();
    if (this.match(fieldName)) return this.parseOptionalFieldArgument();
    throw new Refusal('expected field transformer argument: field, transformer, quoted string, number, or transformer list');
  }

  /** A list argument of a transformer, after its `(`. */
  private parseTransformerList(): void {
    this.blank();
    if (this.word(')')) return;
    this.parseTransformerListItem();
    this.blank();
    while (this.word(',')) {
      this.blank();
      this.parseTransformerListItem();
      this.blank();
    }
    if (!this.word(')')) throw new Refusal("expected ')'");
  }

  private parseTransformerListItem(): void {
    if (this.match(fieldName)) return this.parseOptionalFieldArgument();
    if (this.anyWord(transformers)) {
      this.blank();
      return this.parseTransformerRemainder();
    }
    if (this.quotedString() || this.match(hexNumber) || this.match(decimalNumber)) return;
    throw new Refusal('expected transformer list argument: field, transformer, quoted string, or number');
  }

  /** The operator and right-hand side of a check, after its left-hand side. */
  private parseCondition(): void {
    this.blank();
    if (this.anyOperator(unaryOperators)) return;
    this.blank();
    if (this.anyOperator(numberOperators)) return this.parseNumberOrTransformer();
    if (this.anyOperator(stringOperators)) {
      // Word operators took their blank with them; symbol operators may have one after.
      const hadBlank = /^[a-z]/.test(this.lastToken) || this.blank();
      const saved = { pos: this.pos, lastToken: this.lastToken };
      if (hadBlank && this.anyOperator(stringModifiers) && this.listFollows() && !this.logicalWordFollows()) return this.parseListValue();
      this.pos = saved.pos;
      this.lastToken = saved.lastToken;
      return this.parseStringOrTransformer(false);
    }
    if (this.anyOperator(listOperators)) return this.parseListOrTransformer();
    throw new Refusal(`expected a valid check operator: one of ${operatorNames}`);
  }

  private parseNumberOrTransformer(): void {
    this.blank();
    if (this.transformerOrVal()) return;
    if (this.match(hexNumber) || this.match(decimalNumber)) return;
    throw new Refusal(`expected a number value or a field with a valid transformer: ${transformerNames}`);
  }

  private parseStringOrTransformer(valuesOnly: boolean): void {
    this.blank();
    if (!valuesOnly && this.transformerOrVal()) return;
    if (this.quotedString() || this.match(bareString)) return;
    throw new Refusal(valuesOnly ? 'expected a string value' : `expected a string value or a field with a valid transformer: ${transformerNames}`);
  }

  /** `(a, b, ...)`; false when no `(` is at the cursor. */
  private listExpression(): boolean {
    if (!this.word('(')) return false;
    this.blank();
    let empty = false;
    try {
      this.parseStringOrTransformer(true);
    } catch (error) {
      // libsinsp reads a head it cannot take (a bad escape included) as an empty list, cursor moved on.
      if (!(error instanceof Refusal)) throw error;
      empty = true;
    }
    if (!empty) {
      this.blank();
      while (this.word(',')) {
        this.parseStringOrTransformer(true);
        this.blank();
      }
    }
    if (!this.word(')')) throw new Refusal("expected a ')' token");
    return true;
  }

  private parseListValue(): void {
    this.blank();
    if (this.listExpression() || this.match(identifier)) return;
    throw new Refusal('expected a list or an identifier');
  }

  private parseListOrTransformer(): void {
    this.blank();
    if (this.listExpression() || this.transformerOrVal() || this.match(identifier)) return;
    throw new Refusal(`expected a list, an identifier, or a field with a valid transformer: ${transformerNames}`);
  }

  /** `val(field)` or a transformer; false when neither starts at the cursor. */
  private transformerOrVal(): boolean {
    this.blank();
    if (this.word('val(')) {
      this.blank();
      if (!this.match(fieldName)) throw new Refusal("expected a field within 'val' transformer");
      this.parseOptionalFieldArgument();
      this.blank();
      if (!this.word(')')) throw new Refusal("expected a ')' token closing the transformer");
      this.parseOptionalFieldArgument();
      return true;
    }
    if (!this.anyWord(transformers)) return false;
    this.blank();
    this.parseTransformerRemainder();
    return true;
  }

  // The lexer.

  /** The character at `index`; NUL past the end, as C strings read. */
  private at(index: number): string {
    return index < this.text.length ? this.text[index]! : '\0';
  }

  /** Skips blanks; the one lexer step that leaves the last token alone. */
  private blank(): boolean {
    const start = this.pos;
    while (' \t\b\r\n'.includes(this.at(this.pos))) this.pos++;
    return this.pos > start;
  }

  private match(expression: RegExp): boolean {
    expression.lastIndex = this.pos;
    const found = expression.exec(this.text);
    if (found === null) return false;
    this.lastToken = found[0];
    this.pos += found[0].length;
    return true;
  }

  private word(token: string): boolean {
    if (!this.text.startsWith(token, this.pos)) return false;
    this.lastToken = token;
    this.pos += token.length;
    return true;
  }

  private anyWord(tokens: readonly string[]): boolean {
    return tokens.some((token) => this.word(token));
  }

  private anyOperator(operators: readonly string[]): boolean {
    for (const operator of operators) {
      if (!operator.endsWith(' ')) {
        if (this.word(operator)) return true;
        continue;
      }
      const saved = { pos: this.pos, lastToken: this.lastToken };
      if (this.word(operator.trimEnd()) && this.blank()) return true;
      this.pos = saved.pos;
      this.lastToken = saved.lastToken;
    }
    return false;
  }

  private listFollows(): boolean {
    if (this.at(this.pos) === '(') return true;
    identifier.lastIndex = this.pos;
    return identifier.test(this.text);
  }

  private logicalWordFollows(): boolean {
    return ['and', 'or', 'not'].some((keyword) => this.text.startsWith(keyword, this.pos) && !/[a-zA-Z0-9]/.test(this.at(this.pos + keyword.length)));
  }

  /**
   * A quoted string: it ends at the first quote of its kind not preceded by a backslash (so `"a\\"`
   * reads on), and is then unescaped, which may refuse it with the cursor past its end.
   */
  private quotedString(): boolean {
    const quote = this.at(this.pos);
    if (quote !== '"' && quote !== "'") return false;
    let previous = '\\';
    for (let index = this.pos; this.at(index) !== '\0'; index++) {
      if (this.at(index) === quote && previous !== '\\') {
        const start = this.pos;
        this.pos = index + 1;
        this.lastToken = this.unescape(this.text.slice(start, index + 1), start);
        return true;
      }
      previous = this.at(index);
    }
    this.lastToken = this.text.slice(this.pos);
    return false;
  }

  /** libsinsp's unescape_str of the quoted string `raw`, found at `start`. */
  private unescape(raw: string, start: number): string {
    const refuse = (message: string, escape: string, index: number): Refusal => new Refusal(message, { text: escape, offset: start + index - 1 });
    let text = '';
    for (let index = 1; index < raw.length - 1; index++) {
      const char = raw[index]!;
      if (char !== '\\') {
        text += char;
        continue;
      }
      const escaped = raw[++index]!;
      switch (escaped) {
        case 'b':
          text += '\b';
          break;
        case 'f':
          text += '\f';
          break;
        case 'n':
          text += '\n';
          break;
        case 'r':
          text += '\r';
          break;
        case 't':
          text += '\t';
          break;
        case ' ':
        case '\\':
          text += '\\';
          break;
        case '/':
          text += '/';
          break;
        case '"':
        case "'":
          if (escaped !== raw[0]) throw refuse(`invalid \\${escaped} escape in ${raw[0]}-quoted string`, `\\${escaped}`, index);
          text += escaped;
          break;
        case 'x':
          if (this.hexEscapes) {
            const refusal = hexEscapeRefusal(raw, index);
            if (refusal !== undefined) throw refuse(refusal.message, refusal.escape, index);
            text += String.fromCharCode(parseInt(raw.slice(index + 1, index + 3), 16));
            index += 2;
            break;
          }
          throw refuse('unsupported string escape sequence: \\x', '\\x', index);
        default:
          throw refuse(`unsupported string escape sequence: \\${escaped}`, `\\${escaped}`, index);
      }
    }
    return text;
  }

}

/** libs 0.26's `\xHH`, the `x` at `index` of `raw`: exactly two hex digits before the closing quote. */
function hexEscapeRefusal(raw: string, index: number): { readonly message: string; readonly escape: string } | undefined {
  if (index + 2 >= raw.length - 1) return { message: 'truncated hex char escape sequence', escape: `\\x${raw.slice(index + 1, raw.length - 1)}` };
  const digits = raw.slice(index + 1, index + 3);
  return /^[0-9a-fA-F]{2}$/.test(digits) ? undefined : { message: `invalid hex char escape sequence: ${digits}`, escape: `\\x${digits}` };
}
