/**
 * glob/iglob on a hostile value: 8-star patterns against a 300 KB field, the shape that made the
 * old RegExp translation backtrack for seconds on 80 characters. Each case is timed per call and
 * compared with `String.prototype.includes` scanning the same value, measured in the same run.
 * Target: every case under 10 ms.
 */
import { compileGlob } from '../src/evaluate/glob.ts';

export const name = 'glob: 8-star patterns against a 300 KB value';

const targetMs = 10;
const size = 300 * 1024;

interface Case {
  readonly label: string;
  readonly pattern: string;
  readonly foldCase: boolean;
  readonly value: string;
  readonly expected: boolean;
}

const allA = 'a'.repeat(size);
const endsInB = `${'a'.repeat(size - 1)}b`;

const cases: readonly Case[] = [
  { label: 'glob *a*a*a*a*a*a*a*b, all a (the issue)', pattern: '*a*a*a*a*a*a*a*b', foldCase: false, value: allA, expected: false },
  { label: 'glob *a*a*a*a*a*a*c*b, full scan', pattern: '*a*a*a*a*a*a*c*b', foldCase: false, value: endsInB, expected: false },
  { label: 'iglob *A*A*A*A*A*A*C*B, full scan', pattern: '*A*A*A*A*A*A*C*B', foldCase: true, value: endsInB, expected: false },
  { label: 'glob *a*a*a*a*a*a*[c-d]?*b, no literal', pattern: '*a*a*a*a*a*a*[c-d]?*b', foldCase: false, value: endsInB, expected: false },
  { label: 'glob *a*a*a*a*a*a*a*b, matches', pattern: '*a*a*a*a*a*a*a*b', foldCase: false, value: endsInB, expected: true },
];

/** Two equal copies of `value` as distinct flat strings, decoded from JSON as event fields are. */
function copies(value: string): readonly [string, string] {
  const json = JSON.stringify(value);
  return [JSON.parse(json) as string, JSON.parse(json) as string];
}

/**
 * Milliseconds per call of `work` on `value`, best of a few rounds of at least `minMs` each.
 * The calls alternate between two copies of the value: with one constant string, V8 may fold
 * `includes` away and the reference would time nothing.
 */
function msPerCall(work: (value: string) => boolean, value: string, rounds = 5, minMs = 50): number {
  const values = copies(value);
  let best = Infinity;
  for (let round = 0; round < rounds; round++) {
    let calls = 0;
    let sink = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      if (work(values[calls & 1] ?? '')) sink++;
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    if (sink < 0) throw new Error('unreachable');
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

export function run(): void {
  const includesMs = msPerCall((value) => value.includes('c'), endsInB);
  console.log(`reference: String.prototype.includes over the ${size.toLocaleString('en-US')}-character value: ${includesMs.toFixed(4)} ms`);
  let worst = 0;
  for (const { label, pattern, foldCase, value, expected } of cases) {
    const match = compileGlob(pattern, foldCase);
    if (match(value) !== expected) throw new Error(`${label}: expected ${expected}`);
    const ms = msPerCall(match, value);
    worst = Math.max(worst, ms);
    console.log(`${label.padEnd(44)} ${ms.toFixed(4).padStart(9)} ms  ${(ms / includesMs).toFixed(1).padStart(7)}x includes`);
  }
  console.log(`slowest: ${worst.toFixed(3)} ms per call (target: under ${targetMs} ms) ${worst < targetMs ? 'ok' : 'MISSED'}`);
}
