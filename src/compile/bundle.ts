/**
 * `import upstream bundle`: the upstream lists and macros a module uses, directly or through other
 * upstream items, emitted before the module's own items, for a Falco that does not load
 * falco_rules.yaml. They keep upstream's order (which is an order Falco accepts) and texts.
 */
import { parseCondition } from '../language/parse-condition.ts';
import { printCondition } from '../language/print-condition.ts';
import { readRulesFile } from '../loader/read-rules-file.ts';
import type { FalxModule } from './compile-program.ts';
import { namesInExpr } from './lower.ts';
import { emitMap, type EmitMap } from './lowered.ts';

export interface Bundle {
  readonly items: readonly EmitMap[];
  /** The upstream file's own required engine version, which the bundled items need. */
  readonly engine?: string;
}

export function bundledUpstream(modules: readonly FalxModule[]): Bundle {
  const bundling = modules.find((m) => m.ast.declarations.some((d) => d.kind === 'Import' && d.target.upstream && d.bundle));
  if (bundling === undefined) return { items: [] };
  // compileProgram reports a module that imports upstream without the file; it is never emitted.
  if (bundling.upstream === undefined) throw new Error(`falx: ${bundling.file.path} bundles upstream items without the upstream rules file`);
  const upstream = readRulesFile(bundling.upstream).items;
  const byName = new Map<string, { uses: string[]; emit: EmitMap }>();
  let engine: string | undefined;
  for (const item of upstream) {
    if (item.kind === 'required_engine_version') engine = item.version;
    if (item.kind === 'list') {
      const values = (item.items ?? []).map((i) => i.value);
      byName.set(item.name, { uses: values, emit: emitMap([['list', item.name], ['items', values]]) });
    }
    if (item.kind === 'macro' && item.condition !== undefined) {
      const parsed = parseCondition(item.condition.value);
      if (!parsed.ok) continue;
      byName.set(item.name, { uses: namesInExpr(parsed.expr), emit: emitMap([['macro', item.name], ['condition', printCondition(parsed.expr)]]) });
    }
  }
  const needed = new Set<string>();
  const pending = modules.flatMap((m) => m.items.flatMap((i) => [...i.uses, i.name]));
  while (pending.length > 0) {
    const name = pending.pop()!;
    const item = byName.get(name);
    if (item === undefined || needed.has(name)) continue;
    needed.add(name);
    pending.push(...item.uses);
  }
  const items = [...byName.entries()].filter(([name]) => needed.has(name)).map(([, item]) => item.emit);
  return { items, ...(engine === undefined ? {} : { engine }) };
}
