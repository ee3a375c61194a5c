/**
 * Everything the command line touches outside itself. `run()` receives it, so tests drive the CLI
 * in-process with captured output, and `main.ts` is the only place that binds it to the process.
 */
export interface Io {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colour is used only then, and never with NO_COLOR). */
  readonly isTTY: boolean;
  /**
   * Where Falco installs its rules file, the last place `import upstream` looks; default
   * /etc/falco/falco_rules.yaml (src/cli/upstream-rules.ts). Tests point it elsewhere.
   */
  readonly falcoRulesPath?: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** All of stdin as text; rejects with InputTooLargeError (read-input.ts) past `maxBytes`, having stopped reading. */
  readStdin(maxBytes: number): Promise<string>;
}

export const ExitCode = {
  /** No error. */
  Ok: 0,
  /** Findings: errors, failing tests, warnings over the limit, a policy expansion. */
  Findings: 1,
  /** Usage or I/O error. */
  Usage: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
