/**
 * Engine and plugin requirements of a module, computed from what its items use: the versioned
 * language features (check/features.ts), the `override` key, and fields of the container plugin.
 * A declared `requires engine` below what the file uses is an error: Falco would reject the file
 * on an older engine anyway, with a less helpful message.
 */
import type { Catalog } from '../check/catalog/catalog.ts';
import { conditionFeatures, features, requiredEngineVersion, type Feature } from '../check/features.ts';
import { compareEngineVersions } from '../check/falco-versions.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Expr } from '../language/ast.ts';
import { parseCondition } from '../language/parse-condition.ts';
import type { LoweredItem } from './lowered.ts';
import type { LoweredFile } from './lower.ts';

export interface Requirements {
  readonly engine?: string;
  readonly plugins: readonly { readonly name: string; readonly version: string }[];
}

/** The container plugin version that has every field of the catalog (upstream rules require it). */
const containerPluginVersion = '0.4.0';

/** The versioned features the items use, and the engine version they need (undefined: none). */
export function usedFeatures(items: readonly LoweredItem[]): { features: Feature[]; engine?: string } {
  const used: Feature[] = [];
  for (const item of items) {
    if ('override' in item.item && item.item.override.size > 0) used.push(features.override);
    if (item.item.kind === 'rule' && (item.item.capture !== undefined || item.item.captureDuration !== undefined)) used.push(features.capture);
    if (item.item.kind === 'rule' && (item.item.exceptions?.length ?? 0) > 0) used.push(features.exceptions);
    const expr = conditionOf(item);
    if (expr !== undefined) used.push(...conditionFeatures(expr).map((use) => use.feature));
  }
  const engine = requiredEngineVersion(used);
  return engine === undefined ? { features: used } : { features: used, engine };
}

export function moduleRequirements(lowered: LoweredFile, items: readonly LoweredItem[], catalog: Catalog, diagnostics: Diagnostic[]): Requirements {
  const { features: used, engine: computed } = usedFeatures(items);
  let containerFields = false;
  for (const item of items) {
    const expr = conditionOf(item);
    if (expr !== undefined) containerFields ||= usesContainerPlugin(expr, catalog);
    if (item.item.kind === 'rule' && /%(container|k8s)\./.test(item.item.output?.value ?? '')) containerFields = true;
  }
  const declared = lowered.requiredEngine;
  if (declared !== undefined && computed !== undefined && compareEngineVersions(declared, computed) < 0) {
    const newest = used.filter((f) => f.engine === computed)[0]!;
    diagnostics.push(diagnostic('FX1010', lowered.requiredEngineSpan, { detail: `${newest.title} needs engine version ${computed} (Falco ${newest.falco}), above the declared required engine version ${declared}.` }));
  }
  const plugins = [...lowered.requiredPlugins];
  if (containerFields && !plugins.some((p) => p.name === 'container')) plugins.push({ name: 'container', version: containerPluginVersion });
  const engine = declared ?? computed;
  return { ...(engine === undefined ? {} : { engine }), plugins };
}

function conditionOf(item: LoweredItem): Expr | undefined {
  const condition = item.emit.entries.find(([key]) => key === 'condition')?.[1];
  if (typeof condition !== 'string') return undefined;
  const parsed = parseCondition(condition.replace(/^(and|or)\s+/, ''));
  return parsed.ok ? parsed.expr : undefined;
}

function usesContainerPlugin(expr: Expr, catalog: Catalog): boolean {
  let found = false;
  const walk = (node: unknown): void => {
    if (found || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const record = node as Record<string, unknown>;
    if (record['kind'] === 'Field' && catalog.get(String(record['name']))?.source === 'container-plugin') found = true;
    for (const [key, child] of Object.entries(record)) if (key !== 'loc') walk(child);
  };
  walk(expr);
  return found;
}
