/**
 * Where each character of a quoted YAML scalar's value stands in the file. Escapes (`\t`, `\"`,
 * `\u0041`, `''`) and line folding make the value differ from its source, so each decoded
 * character is mapped to the source character it came from (an escape to its backslash).
 * Returns undefined when the decoding does not give the value yaml gave (then a caller falls back
 * to approximate alignment).
 */
const singleEscapes: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const hexEscapes: Record<string, number> = { x: 2, u: 4, U: 8 };

export function quotedScalarOffsets(source: string, start: number, value: string): number[] | undefined {
  const quote = source[start];
  if (quote !== '"' && quote !== "'") return undefined;
  // One entry per UTF-16 unit of the value, with the file offset it came from. An array, not a
  // growing string, so that dropping trailing blanks at each fold costs nothing (linear overall).
  const units: string[] = [];
  const offsets: number[] = [];
  const push = (chars: string, at: number): void => {
    for (let k = 0; k < chars.length; k++) {
      units.push(chars[k]!);
      offsets.push(at);
    }
  };
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === quote) {
      if (quote === "'" && source[i + 1] === "'") {
        push("'", i);
        i += 2;
        continue;
      }
      break;
    }
    if (quote === '"' && c === '\\') {
      const next = source[i + 1] ?? '';
      if (next === '\n' || next === '\r') {
        // An escaped line break joins the lines without a space.
        i = skipBlanks(source, skipLineBreak(source, i + 1));
        continue;
      }
      const length = hexEscapes[next];
      if (length !== undefined) {
        push(String.fromCodePoint(parseInt(source.slice(i + 2, i + 2 + length), 16)), i);
        i += 2 + length;
        continue;
      }
      const decoded = singleEscapes[next];
      if (decoded === undefined) return undefined;
      push(decoded, i);
      i += 2;
      continue;
    }
    if (c === '\n' || c === '\r') {
      // Folding: trailing blanks go, one line break becomes a space, each empty line a newline.
      while (units.at(-1) === ' ' || units.at(-1) === '\t') {
        units.pop();
        offsets.pop();
      }
      let j = skipLineBreak(source, i);
      let breaks = 0;
      for (;;) {
        const k = skipBlanks(source, j);
        if (source[k] === '\n' || source[k] === '\r') {
          breaks++;
          j = skipLineBreak(source, k);
        } else {
          j = k;
          break;
        }
      }
      push(breaks === 0 ? ' ' : '\n'.repeat(breaks), i);
      i = j;
      continue;
    }
    push(c, i);
    i++;
  }
  return units.length === value.length && units.join('') === value ? offsets : undefined;
}

function skipLineBreak(source: string, i: number): number {
  if (source[i] === '\r' && source[i + 1] === '\n') return i + 2;
  return i + 1;
}

function skipBlanks(source: string, i: number): number {
  while (source[i] === ' ' || source[i] === '\t') i++;
  return i;
}
