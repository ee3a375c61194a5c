/**
 * `falx explain CODE`: prints the documentation page of a diagnostic code (what it means, an
 * example, how to fix it), headed by the code's row of the table. An unknown code is a usage error
 * with the closest codes suggested.
 */
import { suggest } from '../../check/catalog/suggest.ts';
import { allCodes, codes, type DiagnosticCode } from '../../diagnostics/codes.ts';
import { documentationPath, readDocumentation } from '../../diagnostics/documentation.ts';
import { UsageError, type Command } from '../command.ts';
import { ExitCode } from '../io.ts';

export const explainCommand: Command = {
  name: 'explain',
  help: `Usage: falx explain CODE

Prints the documentation page of a diagnostic code, e.g. "falx explain FX2001" or
"falx explain LOAD_NO_EVTTYPE". The pages are in docs/diagnostics/<CODE>.md.

Exit codes: 0 printed, 2 unknown code or usage error.
`,
  options: {},
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one diagnostic code');
    const given = args.positionals[0]!;
    const code = allCodes.find((c) => c.toLowerCase() === given.toLowerCase() || codes[c].id === given.toLowerCase());
    if (code === undefined) {
      const near = suggest(given.toUpperCase(), allCodes, 3);
      throw new UsageError(`unknown diagnostic code "${given}"${near.length > 0 ? `; did you mean ${near.map((c) => `"${c}"`).join(', ')}?` : ''}`);
    }
    io.stdout(`${header(code)}\n\n${readDocumentation(code) ?? `No page yet: ${documentationPath(code)} is missing.\n`}`);
    return ExitCode.Ok;
  },
};

function header(code: DiagnosticCode): string {
  const spec = codes[code];
  const falco = 'falco' in spec ? `; Falco reports it as ${spec.falco}` : '';
  return `${code} (${spec.id}): default severity ${spec.severity}${falco}.\nMessage: ${spec.text}`;
}
