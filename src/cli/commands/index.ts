/**
 * The registry of `falx` subcommands, in the order `falx --help` lists them. A new command is one
 * file in this folder plus one line here. Commands load only when they run: `falx check` in CI
 * should not pay for the router's HTTP, Slack, SMTP and SQLite modules.
 */
import type { Command } from '../command.ts';

export interface CommandEntry {
  readonly name: string;
  /** One line for `falx --help`. */
  readonly summary: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'compile', summary: 'Compile .falx rules to Falco rules YAML.', load: async () => (await import('./compile.ts')).compileCommand },
  { name: 'test', summary: 'Run the test blocks of .falx files: events that must or must not fire a rule.', load: async () => (await import('./test.ts')).testCommand },
  { name: 'check', summary: "Check rules files (Falco YAML or .falx) against Falco's loader and the field catalog.", load: async () => (await import('./check.ts')).checkCommand },
  { name: 'fmt', summary: 'Format .falx files in the canonical layout.', load: async () => (await import('./fmt.ts')).fmtCommand },
  { name: 'import', summary: 'Convert a Falco rules YAML file to .falx.', load: async () => (await import('./import.ts')).importCommand },
  { name: 'lsp', summary: 'Run the language server for editors (diagnostics, hover, completion, navigation).', load: async () => (await import('./lsp.ts')).lspCommand },
  { name: 'explain', summary: 'Explain a diagnostic code: what it means, an example, how to fix it.', load: async () => (await import('./explain.ts')).explainCommand },
  { name: 'diff', summary: 'Show what a change does to the policy; exit 1 when it may detect less.', load: async () => (await import('./diff.ts')).diffCommand },
  { name: 'eval', summary: 'Evaluate a condition on events, as Falco would.', load: async () => (await import('./eval.ts')).evalCommand },
  { name: 'serve', summary: 'Run the alert router: take Falco events, route them, deliver to Slack and email.', load: async () => (await import('./serve.ts')).serveCommand },
  { name: 'route', summary: 'Test the router configuration: which routes and receivers an event reaches.', load: async () => (await import('./route.ts')).routeCommand },
  { name: 'silence', summary: 'Add, list and expire silences on a running router.', load: async () => (await import('./silence.ts')).silenceCommand },
  { name: 'deliveries', summary: "List a running router's deliveries (pending, sent, dead) and retry dead ones.", load: async () => (await import('./deliveries.ts')).deliveriesCommand },
];
