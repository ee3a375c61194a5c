/**
 * Starts a router in this process from YAML text (real SQLite file in a temp dir, real HTTP on
 * 127.0.0.1), for tests that need many requests and no child process.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRouterConfig } from '../../../src/router/config.ts';
import { silentLogger } from '../../../src/router/logger.ts';
import { startRouter, type RunningRouter } from '../../../src/router/server.ts';
import type { StoreUnderTest } from './stores.ts';

export interface TestRouter extends RunningRouter {
  readonly lines: string[];
  dispose(): Promise<void>;
}

/**
 * `yaml` may use `STORAGE` where the SQLite path goes; `{file: ...}` secrets are read from disk.
 * With `store`, `storage: { path: STORAGE }` becomes a fresh storage of that store (a SQLite file
 * or a PostgreSQL database).
 */
export async function startTestRouter(yaml: string, env: Record<string, string> = {}, store?: StoreUnderTest): Promise<TestRouter> {
  const dir = mkdtempSync(join(tmpdir(), 'falx-router-'));
  const storage = await store?.fresh();
  const text = (storage === undefined ? yaml : yaml.replace('{ path: STORAGE }', storage.yaml)).replace('STORAGE', join(dir, 'outbox.sqlite'));
  const { config, diagnostics } = loadRouterConfig(text, 'test.yaml', { env: { ...env, ...storage?.env }, readFile: (path) => readFileSync(path, 'utf8') });
  if (config === undefined) throw new Error(`invalid test config: ${JSON.stringify(diagnostics)}`);
  const lines: string[] = [];
  const router = await startRouter(config, { logger: silentLogger, writeLine: (line) => lines.push(line) });
  return {
    ...router,
    lines,
    async dispose() {
      await router.close();
      await storage?.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
