/**
 * `falx check --falco-version X.Y.Z`: what the target Falco release would refuse. A
 * `required_engine_version` above the target's engine (Falco's LOAD_ERR_VALIDATE), and every use of
 * a feature newer than the target (in conditions, exceptions included, and rule keys), located.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Expr } from '../language/ast.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { withExceptions } from '../loader/exception-condition.ts';
import type { PluginRequirement, RulesFileItem } from '../loader/items.ts';
import type { MappedText } from '../loader/mapped-text.ts';
import type { CheckedRuleset } from './check-rules-files.ts';
import { compareEngineVersions, defaultPlugins, engineSatisfies, engineVersionOf, pluginSatisfies, type LoadedPlugin } from './falco-versions.ts';
import { conditionFeatures, features, type Feature } from './features.ts';

/**
 * The diagnostics of `checked` against Falco `falcoVersion`, the version must be known (see
 * `engineVersionOf`), loading `plugins` (by default, what that release loads by default).
 */
export function checkTarget(checked: CheckedRuleset, falcoVersion: string, plugins: readonly LoadedPlugin[] = defaultPlugins(falcoVersion)): Diagnostic[] {
  const engine = engineVersionOf(falcoVersion);
  if (engine === undefined) throw new Error(`unknown Falco version ${falcoVersion}`);
  const diagnostics: Diagnostic[] = [];
  const { ruleset } = checked;
  const required = ruleset.requiredEngineVersion;
  if (required !== undefined && !engineSatisfies(engine, required.version)) {
    diagnostics.push(diagnostic('FX3101', required.span, { required: required.version, falco: falcoVersion, engine }, { hint: `Target a newer Falco, or lower required_engine_version to ${engine} if the rules do not need more.` }));
  }
  for (const requirement of ruleset.requiredPlugins) {
    const problem = pluginProblem(requirement, plugins);
    if (problem !== undefined) diagnostics.push(diagnostic('FX1031', requirement.span, { detail: problem }, { hint: `Falco ${falcoVersion} loads ${plugins.length === 0 ? 'no plugin' : plugins.map((p) => `${p.name} ${p.version}`).join(', ')} here; --plugin NAME@VERSION adds the ones your Falco loads.` }));
  }
  const tooNew = (feature: Feature): boolean => compareEngineVersions(feature.engine, engine) > 0;
  const report = (feature: Feature, span: Span | undefined): void => {
    diagnostics.push(diagnostic('FX3102', span, { feature: feature.title, needs: feature.falco, engine: feature.engine, falco: falcoVersion }));
  };
  const conditionUses = (expr: Expr, text: MappedText): void => {
    for (const use of conditionFeatures(expr)) if (tooNew(use.feature)) report(use.feature, text.span(use.loc.start.offset, use.loc.end.offset));
  };

  for (const [name, expr] of checked.macros) {
    const macro = ruleset.macros.get(name);
    if (macro?.condition !== undefined) conditionUses(expr, macro.condition);
  }
  for (const [name, expr] of checked.rules) {
    const rule = ruleset.rules.get(name);
    if (rule?.condition !== undefined) conditionUses(expr, withExceptions(rule.condition, rule.exceptions, []));
  }
  const items: RulesFileItem[] = [
    ...[...ruleset.lists.values()].flatMap((list) => list.definitions),
    ...[...ruleset.macros.values()].flatMap((macro) => macro.definitions),
    ...[...ruleset.rules.values()].flatMap((rule) => rule.definitions),
  ];
  for (const item of items) {
    if (!('override' in item)) continue;
    if (item.override.size > 0 && tooNew(features.override)) report(features.override, [...item.override.values()][0]!.span);
    if (item.kind !== 'rule') continue;
    if (item.exceptions !== undefined && item.exceptions.length > 0 && tooNew(features.exceptions)) report(features.exceptions, item.exceptions[0]!.span);
    if ((item.capture !== undefined || item.captureDuration !== undefined) && tooNew(features.capture)) report(features.capture, item.nameSpan);
  }
  return diagnostics;
}

/**
 * Why a `required_plugin_versions` entry is not met, in Falco's words (`check_plugin_requirements`):
 * the first alternative whose plugin is loaded decides; none loaded is "not satisfied".
 */
function pluginProblem(requirement: PluginRequirement, plugins: readonly LoadedPlugin[]): string | undefined {
  const alternatives = [{ name: requirement.name, version: requirement.version }, ...requirement.alternatives];
  for (const wanted of alternatives) {
    const plugin = plugins.find((p) => p.name === wanted.name);
    if (plugin === undefined) continue;
    return pluginSatisfies(plugin.version, wanted.version) ? undefined : `Plugin '${plugin.name}' version '${plugin.version}' is not compatible with required plugin version '${wanted.version}'.`;
  }
  return `Plugin requirement not satisfied, must load one of: ${alternatives.map((a) => `${a.name} (>= ${a.version})`).join(', ')}.`;
}
