import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { allCodes } from '../../src/diagnostics/codes.ts';
import { documentationFolder, readDocumentation } from '../../src/diagnostics/documentation.ts';

/** ESLint's checkRuleFiles and fastify's errors-vs-docs test: the code table and the pages agree. */
describe('diagnostics/documentation pages', () => {
  it('every code of src/diagnostics/codes.ts has its page docs/diagnostics/<CODE>.md', () => {
    const missing = allCodes.filter((code) => readDocumentation(code) === undefined);
    expect(missing, `codes without a page (write docs/diagnostics/<CODE>.md for each): ${missing.join(', ')}`).to.deep.equal([]);
  });

  it('no page exists for a code that is not in the table', () => {
    const known = new Set<string>(allCodes);
    const stale = readdirSync(documentationFolder()).filter((name) => name.endsWith('.md')).map((name) => name.slice(0, -3)).filter((code) => !known.has(code));
    expect(stale, `pages for codes that are not in src/diagnostics/codes.ts: ${stale.join(', ')}`).to.deep.equal([]);
  });

  it('every page has its title, what it means, an example and how to fix it', () => {
    const incomplete = allCodes.filter((code) => {
      const page = readDocumentation(code);
      return page !== undefined && !(page.startsWith(`# ${code}: `) && page.includes('## What it means') && /## Example\n\n```/.test(page) && page.includes('## How to fix it'));
    });
    expect(incomplete, `pages missing a section: ${incomplete.join(', ')}`).to.deep.equal([]);
  });
});
