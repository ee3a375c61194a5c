/**
 * The embedded default configuration: `falx serve` with no `--config` runs on it. It needs no
 * credentials: it listens on localhost and logs every event as a JSON line. The same text is
 * shipped as examples/router/router.default.yaml (a test keeps them identical).
 */

/** The name diagnostics use for the embedded configuration. */
export const defaultConfigName = '<embedded default router.yaml>';

export const defaultConfigText = `# falx router: the embedded default ("falx serve" with no --config).
# No credentials needed: it listens on localhost and writes every event as a JSON line.
listen:
  host: 127.0.0.1
  port: 2802
storage:
  path: falx-outbox.sqlite
receivers:
  - name: log
    type: log
route:
  receivers: [log]
`;
