/**
 * The lowest engine version rules really need (that of the newest language feature they use), and
 * FX4008 when the file's `required_engine_version` says less: a Falco between the two accepts the
 * declaration, then fails on the feature with a syntax or compile error instead of saying its
 * engine is too old.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Ruleset } from '../loader/ruleset.ts';
import type { FeatureUse } from './feature-uses.ts';
import { compareEngineVersions, parseEngineVersion } from './falco-versions.ts';

/** The use of the newest feature (its first use), or undefined when the rules use none. */
export function neededEngine(uses: readonly FeatureUse[]): FeatureUse | undefined {
  let newest: FeatureUse | undefined;
  for (const use of uses) {
    if (newest === undefined || compareEngineVersions(use.feature.engine, newest.feature.engine) > 0) newest = use;
  }
  return newest;
}

export function underDeclaredEngine(ruleset: Ruleset, uses: readonly FeatureUse[]): Diagnostic[] {
  const declared = ruleset.requiredEngineVersion;
  const needed = neededEngine(uses);
  if (declared === undefined || needed === undefined || parseEngineVersion(declared.version) === undefined) return [];
  if (compareEngineVersions(declared.version, needed.feature.engine) >= 0) return [];
  const { feature } = needed;
  return [
    diagnostic('FX4008', declared.span, { declared: declared.version, feature: feature.title, engine: feature.engine, falco: feature.falco }, {
      hint: `Declare ${feature.engine}: a Falco older than ${feature.falco} then refuses the file as too new for it, instead of failing on the feature.`,
      notes: [{ message: `${feature.title} is used here`, span: needed.span }],
    }),
  ];
}
