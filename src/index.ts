/**
 * falx's public API: a plain list of re-exports.
 */

/** Parses Falco condition text into the typed AST (`Expr`), or a located syntax error. */
export { parseCondition, type ConditionParseResult, type ConditionSyntaxError, type ParseConditionOptions } from './language/parse-condition.ts';
/** Prints a condition AST as canonical Falco condition text. */
export { printCondition } from './language/print-condition.ts';
/** The condition AST's node types. */
export type * from './language/ast.ts';
/** The Falco field catalog: field names, types and flags. */
export { Catalog, type CatalogOptions, type FieldInfo } from './check/catalog/catalog.ts';
/** Field types as libsinsp names them. */
export type { FieldType } from './check/catalog/field-types.ts';
/** Compiles a condition into a matcher that decides like Falco's libsinsp 0.25.4. */
/** Type-checking a condition on its own, and Falco rules files as Falco loads them. */
export { checkConditionText, type CheckConditionOptions, type CheckConditionResult } from './check/check-condition.ts';
export { checkRulesFiles, type CheckedRuleset } from './check/check-rules-files.ts';
export { SourceFile } from './loader/source-file.ts';

export { compileCondition, type CompileOptions, type Matcher } from './evaluate/compile.ts';
/** Builds an evaluator event from a Falco alert, a corpus record or a field map. */
export { eventFromJson, type EventFields, type FieldValue, type JsonValue } from './evaluate/event.ts';
/** Parses JSON text keeping integers beyond 2^53 exact (as bigints). */
export { parseJsonLossless } from './evaluate/json.ts';
/** Right-hand value parsers: whether a text is a valid value for a field type, and its meaning. */
export { parseValue, type ParsedValue } from './check/values/parse-value.ts';
/** Diagnostics: the shape of every finding. */
export type { Diagnostic, Severity, Span } from './diagnostics/diagnostic.ts';
/** Rules as typed TypeScript: declarations, field accessors from the catalog, tests (src/builder). */
export * from './builder/index.ts';
