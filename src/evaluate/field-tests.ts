/**
 * Comparisons whose right-hand side is another field or a transformer (`val(proc.pname)`,
 * `tolower(proc.exe)`): both sides are extracted per event, and a missing side makes it false.
 */
import type { BinaryOperator } from '../language/ast.ts';
import { asciiLower, bufferView, compareBytes } from './bytes.ts';
import { compileGlob } from './glob.ts';
import type { Kind, Scalar } from './kinds.ts';

export type PairTest = (left: Scalar, right: Scalar) => boolean;

export function pairTest(kind: Kind, op: BinaryOperator): PairTest {
  if (kind === 'buffer') {
    const test = pairTest('string', op);
    return (left, right) => test(bufferView(left as Uint8Array).toString('latin1'), typeof right === 'string' ? Buffer.from(right, 'utf8').toString('latin1') : bufferView(right as Uint8Array).toString('latin1'));
  }
  if (kind === 'string') return stringPair(op);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (left, right) => left === right;
    case '!=':
      return (left, right) => left !== right;
    case '<':
      return (left, right) => (left as number) < (right as number);
    case '<=':
      return (left, right) => (left as number) <= (right as number);
    case '>':
      return (left, right) => (left as number) > (right as number);
    case '>=':
      return (left, right) => (left as number) >= (right as number);
    default:
      throw new Error(`operator ${op} does not take a field on the right for ${kind} values`);
  }
}

function stringPair(op: BinaryOperator): PairTest {
  const s = (value: Scalar): string => String(value);
  switch (op) {
    case '=':
    case '==':
    case 'in':
    case 'intersects':
      return (left, right) => s(left) === s(right);
    case '!=':
      return (left, right) => s(left) !== s(right);
    case 'contains':
      return (left, right) => s(left).includes(s(right));
    case 'icontains':
      return (left, right) => asciiLower(s(left)).includes(asciiLower(s(right)));
    case 'startswith':
      return (left, right) => s(left).startsWith(s(right));
    case 'endswith':
      return (left, right) => s(left).endsWith(s(right));
    case 'glob':
    case 'iglob':
      return (left, right) => compileGlob(s(right), op === 'iglob')(s(left));
    case '<':
      return (left, right) => compareBytes(s(left), s(right)) < 0;
    case '<=':
      return (left, right) => compareBytes(s(left), s(right)) <= 0;
    case '>':
      return (left, right) => compareBytes(s(left), s(right)) > 0;
    case '>=':
      return (left, right) => compareBytes(s(left), s(right)) >= 0;
    default:
      throw new Error(`operator ${op} does not take a field on the right`);
  }
}
