/**
 * `falx check --falco-version X.Y.Z`: what the target Falco release would refuse. A
 * `required_engine_version` above the target's engine (Falco's LOAD_ERR_VALIDATE), and every use of
 * a feature newer than the target (in conditions, exceptions included, and rule keys), located.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { PluginRequirement } from '../loader/items.ts';
import type { CheckedRuleset } from './check-rules-files.ts';
import { compareEngineVersions, defaultPlugins, engineSatisfies, engineVersionOf, pluginSatisfies, type LoadedPlugin } from './falco-versions.ts';
import { featureUses } from './feature-uses.ts';

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
  for (const use of featureUses(checked)) {
    if (compareEngineVersions(use.feature.engine, engine) > 0) diagnostics.push(diagnostic('FX3102', use.span, { feature: use.feature.title, needs: use.feature.falco, engine: use.feature.engine, falco: falcoVersion }));
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
