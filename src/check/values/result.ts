/** The outcome of parsing a right-hand-side value: the value, or why libsinsp would reject it. */
export type ValueResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export function accept<T>(value: T): ValueResult<T> {
  return { ok: true, value };
}

export function reject<T = never>(reason: string): ValueResult<T> {
  return { ok: false, reason };
}
