/**
 * `falx serve`: the alert router. Validates the configuration (with `--check`, only that), then
 * takes Falco and Falcosidekick events over HTTP until SIGTERM or SIGINT, and shuts down
 * gracefully. Logs are JSON lines on stdout; the first says where it listens.
 */
import { resolve } from 'node:path';
import { renderText } from '../../diagnostics/render-text.ts';
import { loadRouterConfig, allRoutes, type RouterConfig } from '../../router/config.ts';
import { defaultConfigName, defaultConfigText } from '../../router/default-config.ts';
import { createJsonLogger } from '../../router/logger.ts';
import { redactLiteralSecrets } from '../../router/redact-secrets.ts';
import { processSecretSource } from '../../router/secret.ts';
import { startRouter } from '../../router/server.ts';
import { parseDatabaseUrl } from '../../router/store/postgres/database-url.ts';
import { systemClock } from '../../router/clock.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { ExitCode, type Io } from '../io.ts';
import { readFileBoundedSync, readInput } from '../read-input.ts';
import { listenForStop } from '../stop-request.ts';

export const serveCommand: Command = {
  name: 'serve',
  help: `Usage: falx serve [--config router.yaml] [--check] [--listen HOST:PORT] [--storage FILE]

Runs the router. Falco (http_output, json_output: true) and Falcosidekick (webhook) post events
to POST / or POST /events; each is stored before the reply, routed by the route tree, and
delivered with retries. Without --config, runs on the embedded default (localhost:2802, every
event logged as a JSON line).

  --config FILE       the router configuration (YAML)
  --check             validate the configuration as serve does at start, secrets included (the
                      environment variables and files must be there), print the storage it
                      would use, and exit (0 valid, 1 errors); starts nothing, connects nowhere
  --listen HOST:PORT  override listen.host and listen.port (port 0 picks a free port)
  --storage FILE      override storage.path (the SQLite file; not with storage.postgres)

Storage: one SQLite file by default (storage.path), for one process. For several replicas,
storage.postgres.url ({env: NAME} or {file: PATH}) points them all at one PostgreSQL; each
migrates the schema at start under a lock, claims deliveries with leases, and answers 503 with
Retry-After (and /readyz 503) while the database is unreachable.

Endpoints: POST / and /events (also /events/<secret> and /<secret>), GET /healthz, /readyz,
/metrics, GET /api/deliveries?state=dead, POST /api/deliveries/<id>/retry and
/api/deliveries/retry-dead (see falx deliveries), POST/GET /api/silences, DELETE
/api/silences/<id> (see falx silence), GET /api/groups, GET /api/inhibitions.
Web UI: /ui (events, groups, deliveries, silences, route test); log in with an API token.
Logs are JSON lines on stdout. SIGTERM or SIGINT stops taking events and drains; so does the exit
of npx or npm start when they launched it (they do not pass SIGTERM on).

Memory: in production run node --max-semi-space-size=2 --heap-growing-percent=50 bin/falx.js
serve (npm start does): a replica then stays near 120 MB resident through alert storms.
`,
  options: {
    config: { type: 'string' },
    check: { type: 'boolean' },
    listen: { type: 'string' },
    storage: { type: 'string' },
  },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0] ?? ''}"`);
    const check = flagOption(args, 'check');
    // One path for both: --check refuses what serve would refuse at start (secrets included), with the same diagnostics.
    const loaded = await loadConfig(io, stringOption(args, 'config'), true);
    if (loaded.config === undefined) return ExitCode.Findings;
    if (check) {
      const { config } = loaded;
      io.stdout(`${config.file}: valid (${allRoutes(config.route).length} routes, ${config.receivers.length} receivers; storage: ${describeStorage(config)}).\n`);
      return ExitCode.Ok;
    }
    const config = applyOverrides(loaded.config, io, stringOption(args, 'listen'), stringOption(args, 'storage'));
    const logger = createJsonLogger(io.stdout, systemClock, config.logLevel);
    let router;
    try {
      router = await startRouter(config, { logger, writeLine: io.stdout });
    } catch (error) {
      io.stderr(`falx serve: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
      return ExitCode.Usage;
    }
    // Printed whatever the log level: tests and scripts read the bound address from this line.
    io.stdout(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'falx router listening', ...router.summary })}\n`);
    const reason = await listenForStop(io.env).reason;
    logger.log('info', 'stopping', { reason });
    await router.close().catch((error: unknown) => logger.log('error', 'shutdown failed', { error: error instanceof Error ? error.message : String(error) }));
    return ExitCode.Ok;
  },
};

/** Where the router would keep its state, for --check's summary: never the database password. */
function describeStorage(config: RouterConfig): string {
  const { postgres } = config.storage;
  if (postgres === undefined) return `SQLite ${config.storage.path}, synchronous ${config.storage.synchronous}`;
  const parsed = postgres.url === 'unresolved' ? undefined : parseDatabaseUrl(postgres.url.reveal());
  return `PostgreSQL ${parsed?.ok === true ? parsed.target.description : '(URL not read)'}, pool ${postgres.pool}`;
}

/** Secret files hold tokens, passwords, certificates and CA bundles: 1 MB is ample. */
const maxSecretBytes = 1024 * 1024;

/**
 * Reads and validates the configuration, printing diagnostics to stderr; `config` is undefined
 * when it has errors. With `resolveSecrets` (serve and serve --check), every secret must be
 * readable and is checked in use (TLS material, API tokens distinct from ingest ones); without
 * (route test, which sends nothing), secrets are checked for form only. An unreadable or
 * oversized file throws InputError (exit 2).
 */
export async function loadConfig(io: Io, path: string | undefined, resolveSecrets: boolean): Promise<{ config: RouterConfig | undefined }> {
  const text = path === undefined ? defaultConfigText : await readInput(io, path, 'a configuration file');
  const file = path ?? defaultConfigName;
  const secrets = resolveSecrets ? processSecretSource(io.env, (secretPath) => readFileBoundedSync(resolve(io.cwd, secretPath), maxSecretBytes)) : undefined;
  const result = loadRouterConfig(text, file, secrets);
  if (result.diagnostics.length > 0) {
    const color = io.isTTY && io.env['NO_COLOR'] === undefined;
    // Literal secrets are masked in the code frames: printing them is what FX7010 warns against.
    const shown = redactLiteralSecrets(text, result.diagnostics);
    io.stderr(renderText(result.diagnostics, { sourceOf: (name) => (name === file ? shown : undefined), color }));
  }
  if (result.config !== undefined) {
    const storagePath = resolve(io.cwd, result.config.storage.path);
    return { config: { ...result.config, storage: { ...result.config.storage, path: storagePath } } };
  }
  return { config: undefined };
}

function applyOverrides(config: RouterConfig, io: Io, listen: string | undefined, storage: string | undefined): RouterConfig {
  let result = config;
  if (listen !== undefined) {
    const match = /^(.*):(\d{1,5})$/.exec(listen);
    if (match === null) throw new UsageError('--listen takes HOST:PORT, e.g. 0.0.0.0:2802 or 127.0.0.1:0');
    result = { ...result, listen: { ...result.listen, host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) } };
  }
  if (storage !== undefined && result.storage.postgres !== undefined) throw new UsageError('--storage sets the SQLite file, but the configuration uses "postgres" in "storage"; remove one of them');
  if (storage !== undefined) result = { ...result, storage: { ...result.storage, path: resolve(io.cwd, storage) } };
  return result;
}
