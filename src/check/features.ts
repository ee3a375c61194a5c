/**
 * The language features that appeared after Falco 0.37, with the first Falco release and engine
 * version that has each (reference §0, feature timeline). One table, used by `falx check
 * --falco-version` to report features newer than the target, and meant for the compiler to compute
 * `required_engine_version` from the features a ruleset uses.
 */
import type { Expr, Location, Operand, RightOperand, TransformerArg } from '../language/ast.ts';

export type FeatureId =
  | 'exceptions' | 'override' | 'iglob' | 'transformer-tolower' | 'transformer-toupper' | 'transformer-b64'
  | 'field-value' | 'regex' | 'transformer-basename' | 'transformer-len' | 'capture'
  | 'transformer-join' | 'transformer-concat' | 'transformer-getopt' | 'modifier';

export interface Feature {
  readonly id: FeatureId;
  /** How messages name it. */
  readonly title: string;
  /** The first Falco release that has it. */
  readonly falco: string;
  /** That release's engine version: the `required_engine_version` that guarantees it. */
  readonly engine: string;
}

export const features: Readonly<Record<FeatureId, Feature>> = {
  exceptions: { id: 'exceptions', title: 'Rule exceptions', falco: '0.28.0', engine: '0.8.0' },
  override: { id: 'override', title: 'The override key', falco: '0.37.0', engine: '0.31.0' },
  iglob: { id: 'iglob', title: 'The iglob operator', falco: '0.38.0', engine: '0.40.0' },
  'transformer-tolower': { id: 'transformer-tolower', title: 'The tolower() transformer', falco: '0.38.0', engine: '0.40.0' },
  'transformer-toupper': { id: 'transformer-toupper', title: 'The toupper() transformer', falco: '0.38.0', engine: '0.40.0' },
  'transformer-b64': { id: 'transformer-b64', title: 'The b64() transformer', falco: '0.38.0', engine: '0.40.0' },
  'field-value': { id: 'field-value', title: 'Comparing with another field, val()', falco: '0.38.0', engine: '0.40.0' },
  regex: { id: 'regex', title: 'The regex operator', falco: '0.39.0', engine: '0.43.0' },
  'transformer-basename': { id: 'transformer-basename', title: 'The basename() transformer', falco: '0.39.0', engine: '0.43.0' },
  'transformer-len': { id: 'transformer-len', title: 'The len() transformer', falco: '0.40.0', engine: '0.46.0' },
  capture: { id: 'capture', title: 'The capture and capture_duration rule keys', falco: '0.42.0', engine: '0.57.0' },
  'transformer-join': { id: 'transformer-join', title: 'The join() transformer', falco: '0.44.0', engine: '0.62.0' },
  'transformer-concat': { id: 'transformer-concat', title: 'The concat() transformer', falco: '0.44.0', engine: '0.62.0' },
  'transformer-getopt': { id: 'transformer-getopt', title: 'The getopt() transformer', falco: '0.44.0', engine: '0.62.0' },
  modifier: { id: 'modifier', title: 'The oneof/anyof/allof operator modifier', falco: '0.44.0', engine: '0.62.0' },
};

/** One use of a feature in a condition, where it is written. */
export interface FeatureUse {
  readonly feature: Feature;
  readonly loc: Location;
}

const transformerFeatures: Partial<Record<string, FeatureId>> = {
  tolower: 'transformer-tolower', toupper: 'transformer-toupper', b64: 'transformer-b64', basename: 'transformer-basename',
  len: 'transformer-len', join: 'transformer-join', concat: 'transformer-concat', getopt: 'transformer-getopt',
};

/** Every versioned feature a condition uses (macros are not followed: check each macro on its own). */
export function conditionFeatures(expr: Expr): FeatureUse[] {
  const uses: FeatureUse[] = [];
  const use = (id: FeatureId, loc: Location): void => void uses.push({ feature: features[id], loc });
  const operand = (node: Operand | RightOperand | TransformerArg): void => {
    switch (node.kind) {
      case 'Transformer': {
        const id = transformerFeatures[node.name];
        if (id !== undefined) use(id, node.loc);
        node.args.forEach(operand);
        break;
      }
      case 'TransformerList':
        node.items.forEach(operand);
        break;
      case 'FieldValue':
        use('field-value', node.loc);
        break;
      case 'Field':
      case 'Value':
      case 'List':
        break;
    }
  };
  const visit = (node: Expr): void => {
    switch (node.kind) {
      case 'And':
      case 'Or':
        node.operands.forEach(visit);
        break;
      case 'Not':
        visit(node.operand);
        break;
      case 'MacroRef':
        break;
      case 'UnaryCheck':
        operand(node.left);
        break;
      case 'BinaryCheck':
        operand(node.left);
        if (node.op === 'iglob') use('iglob', node.loc);
        if (node.op === 'regex') use('regex', node.loc);
        if (node.modifier !== undefined) use('modifier', node.loc);
        operand(node.right);
        break;
    }
  };
  visit(expr);
  return uses;
}

/** The lowest engine version that has every feature given (undefined when none is versioned). */
export function requiredEngineVersion(used: Iterable<Feature>): string | undefined {
  let highest: Feature | undefined;
  for (const feature of used) {
    if (highest === undefined || compareDotted(feature.engine, highest.engine) > 0) highest = feature;
  }
  return highest?.engine;
}

function compareDotted(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
