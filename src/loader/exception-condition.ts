/**
 * Turns a rule's exceptions into condition text exactly as Falco does (reference §3.2): the
 * condition becomes `(<cond>)`, then each exception with values adds ` and not (...)`. Values are
 * pasted as raw text, wrapped in double quotes only when they contain a space; list operators get
 * parentheses. Every piece keeps its origin, so errors point at the exception in the YAML.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Scalar } from './items.ts';
import { MappedText } from './mapped-text.ts';
import type { CollectedException } from './ruleset.ts';

const comparisonOperators = new Set([
  '=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith',
  'endswith', 'glob', 'iglob', 'regex', 'exists', 'in', 'intersects', 'pmatch',
]);
const listOperators = new Set(['in', 'intersects', 'pmatch']);
const modifierOperator = /^(==|=|!=|contains|icontains|bcontains|startswith|bstartswith|endswith|glob|iglob|regex)\s+(oneof|anyof|allof)$/;

/** Whether a field name as written in an exception's `fields` (`proc.aname[2]`) is one the rule's source has. */
export type IsField = (name: string) => boolean;

/**
 * `(condition) and not (...)...` for the exceptions that have values. An exception naming a field
 * the source does not have is refused first, with or without values, as Falco validates it
 * ("'x' is not a supported filter field").
 */
export function withExceptions(condition: MappedText, exceptions: readonly CollectedException[], diagnostics: Diagnostic[], isField: IsField = () => true): MappedText {
  const parts: (MappedText | string)[] = ['(', condition, ')'];
  for (const exception of exceptions) {
    const fields = exception.definition.fields;
    const unknown = (fields === undefined ? [] : Array.isArray(fields) ? (fields as readonly Scalar[]) : [fields as Scalar]).find((field) => !isField(field.value.trim()));
    if (unknown !== undefined) {
      diagnostics.push(diagnostic('FX1009', unknown.span, { detail: `'${unknown.value.trim()}' is not a supported filter field.` }));
      continue;
    }
    const text = exceptionText(exception, diagnostics);
    if (text !== undefined) parts.push(' and not ', text);
  }
  return exceptions.length === 0 ? condition : MappedText.concat(parts);
}

/**
 * Reports what is wrong with exceptions that will not reach a condition: those of a rule
 * definition that a later one replaces, which Falco still validates when it reads them.
 */
export function reportExceptionProblems(exceptions: readonly CollectedException[], diagnostics: Diagnostic[]): void {
  for (const exception of exceptions) exceptionText(exception, diagnostics);
}

function exceptionText(exception: CollectedException, diagnostics: Diagnostic[]): MappedText | undefined {
  const { definition } = exception;
  const fields = definition.fields;
  if (fields === undefined || exception.values.length === 0) return undefined;
  const report = (detail: string, at = definition.nameSpan): undefined => {
    diagnostics.push(diagnostic('FX1009', at, { detail }));
    return undefined;
  };

  if (!Array.isArray(fields)) {
    const field = fields as Scalar;
    const comps = definition.comps;
    if (Array.isArray(comps)) return report('Fields and comps must both be strings.');
    const comp = (comps as Scalar | undefined)?.value.trim() ?? 'in';
    if (!listOperators.has(comp) && !modifierOperator.test(comp)) {
      return report(`When fields is a single value, comps must be one of (in, pmatch, intersects) or an operator with a modifier, not '${comp}'.`, (comps as Scalar | undefined)?.span);
    }
    const values: (MappedText | string)[] = [];
    exception.values.forEach((value, i) => {
      if (Array.isArray(value)) return;
      if (i > 0) values.push(', ');
      values.push(valueText(value as Scalar));
    });
    return MappedText.concat(['(', field.text, ` ${comp} (`, ...values, '))']);
  }

  const fieldList = fields as readonly Scalar[];
  const compList = definition.comps === undefined ? fieldList.map(() => undefined) : definition.comps;
  if (!Array.isArray(compList) || compList.length !== fieldList.length) return report('Fields and comps lists must have equal length.');
  const comps = (compList as readonly (Scalar | undefined)[]).map((c) => c?.value.trim() ?? '=');
  for (const [i, comp] of comps.entries()) {
    if (!comparisonOperators.has(comp) && !modifierOperator.test(comp)) return report(`'${comp}' is not a supported comparison operator.`, (compList as readonly (Scalar | undefined)[])[i]?.span);
  }
  const tuples: (MappedText | string)[] = [];
  for (const [t, tuple] of exception.values.entries()) {
    if (!Array.isArray(tuple)) return report('Exception values must be lists of the same length as fields (a single value is only allowed when fields is a single field).', (tuple as Scalar).span);
    if (tuple.length !== fieldList.length) return report('Fields and values lists must have equal length.', definition.valuesSpan);
    if (t > 0) tuples.push(' or ');
    tuples.push('(');
    tuple.forEach((element, i) => {
      const comp = comps[i]!;
      const isListOperator = listOperators.has(comp) || modifierOperator.test(comp);
      if (i > 0) tuples.push(' and ');
      tuples.push(' ', fieldList[i]!.text, ` ${comp} `, elementText(element as Scalar | readonly Scalar[], isListOperator));
    });
    tuples.push(')');
  }
  return MappedText.concat(['(', ...tuples, ')']);
}

function elementText(element: Scalar | readonly Scalar[], isListOperator: boolean): MappedText {
  if (Array.isArray(element)) {
    const items: (MappedText | string)[] = [];
    (element as readonly Scalar[]).forEach((item, i) => {
      if (i > 0) items.push(', ');
      items.push(valueText(item));
    });
    return MappedText.concat(['(', ...items, ')']);
  }
  const scalar = element as Scalar;
  const text = valueText(scalar);
  return isListOperator && !scalar.value.startsWith('(') ? MappedText.concat(['(', text, ')']) : text;
}

/** A value as Falco pastes it: as is, double-quoted only when it has a space and no leading quote. */
function valueText(scalar: Scalar): MappedText {
  const { value } = scalar;
  if (value.includes(' ') && !value.startsWith('"') && !value.startsWith("'")) return MappedText.concat(['"', scalar.text, '"']);
  return scalar.text;
}
