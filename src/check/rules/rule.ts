import type { BinaryCheck, Location } from '../../language/ast.ts';
import type { OperandType } from '../operand-type.ts';
import type { CheckScope, ListValue } from '../scope.ts';

/** A binary check with what the checker already knows about it. */
export interface TypedCheck {
  readonly node: BinaryCheck;
  readonly left: OperandType;
  /** The constants on the right, lists expanded; empty for `val()` and transformers. */
  readonly values: readonly ListValue[];
  /** The named lists the right-hand side uses, where it names them. */
  readonly listRefs: readonly { readonly name: string; readonly loc: Location }[];
}

/**
 * One check rule: an invariant of binary checks, in its own file (ESLint's rule-per-file layout).
 * Rules run in registry order on every check whose left side type-checked.
 */
export interface CheckRule {
  readonly id: string;
  readonly description: string;
  check(check: TypedCheck, scope: CheckScope): void;
}
