/**
 * Rules as typed TypeScript: the `.falx` declarations as functions, and field accessors generated
 * from the Falco field catalog, so that an unknown field, an operator the field's type does not
 * support, a value of the wrong type or a list of the wrong element type is a `tsc` error. A module
 * exports its declarations; `falx compile|check|test rules.ts` lays them out as the same AST the
 * `.falx` parser makes and compiles, checks and tests them with the same code.
 *
 *     import { and, f, list, not, rule, upstream } from 'falx';
 *     const trustedDomains = list('trusted_domains', 'domain', ['github.com']);
 *     export default [
 *       upstream(),
 *       trustedDomains,
 *       rule('Unexpected outbound connection', {
 *         desc: 'An outbound connection to a domain that is not trusted.',
 *         condition: and(upstream.macro('outbound'), not(f.fd.sip.name.in(trustedDomains))),
 *         output: 'Unexpected connection (command=%proc.cmdline server=%fd.sip)',
 *         priority: 'NOTICE',
 *       }),
 *     ];
 */
export { and, macroRef, not, or, type Condition } from './conditions.ts';
export { isDeclaration, type FalxDeclaration } from './declaration.ts';
export {
  exception, list, macro, rule,
  type Exception, type ExceptionOperator, type ExceptionOptions, type ExceptionRow, type ListDeclaration, type ListItems,
  type MacroDeclaration, type Priority, type RuleDeclaration, type RuleOptions,
} from './declarations.ts';
export { f, field, type FieldOf } from './fields.ts';
export type { EventType, FieldName, FieldTree } from './generated/fields.ts';
export type { AcceptedElement, FieldKind } from './kinds.ts';
export type { List } from './list-ref.ts';
export { append, disable, enable, importFalx, replace, requires, upstream, type UpstreamList, type UpstreamMacro, type Version } from './modules.ts';
export { moduleDeclarations, falxFile } from './module.ts';
export {
  b64, basename, len, tolower, toupper, val,
  type Bytes, type Equality, type Exists, type FieldOperand, type FieldValueRef, type Items, type KindOf, type Membership, type OperatorsOf, type Ordering, type Text,
} from './operands.ts';
export { policy, type EgressOptions, type PolicyCommon, type PolicyDeclaration, type RestrictedNamespacesOptions, type ShellOptions } from './policies.ts';
export { fires, ignores, test, type Case, type EventValue, type TestDeclaration, type TestEvent } from './tests.ts';
export {
  ipv6, ipv6Net,
  type CheckDomain, type CheckElement, type CheckPort, type CheckScalar, type ElementValue, type IpAddress, type IpNetwork, type Ipv4Address, type Ipv4Network, type Ipv6Address, type Ipv6Network, type PortValue, type ScalarOf,
} from './values.ts';
export { compileSources, isRulesModule, type CompileSourcesOptions } from './compile-sources.ts';
