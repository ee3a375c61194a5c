/**
 * The VS Code extension builds into a .vsix, offline, as CI runs it (`npm run vsix`): a zip that
 * holds the manifest, the bundled client and the grammar.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/corpus.ts';

const run = promisify(execFile);
const vsix = join(projectRoot, 'editors/vscode/falx.vsix');

/** The names in a zip's central directory (the end record is the last 22 bytes: no comment). */
function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

describe('editors/vscode: npm run vsix', function () {
  this.timeout(180_000);

  it('packages the extension with its bundled client and grammar', async () => {
    rmSync(vsix, { force: true });
    await run('npm', ['run', 'vsix'], { cwd: projectRoot });
    const entries = zipEntries(readFileSync(vsix));
    expect(entries).to.include.members(['extension/package.json', 'extension/dist/extension.js', 'extension/syntaxes/falx.tmLanguage.json', 'extension/language-configuration.json', 'extension.vsixmanifest']);
    expect(entries.some((e) => e.startsWith('extension/src/') || e.includes('node_modules/')), 'sources and node_modules stay out').to.equal(false);
    const manifest = JSON.parse(readFileSync(join(projectRoot, 'editors/vscode/package.json'), 'utf8')) as { contributes: { languages: { extensions: string[] }[] } };
    expect(manifest.contributes.languages[0]!.extensions).to.deep.equal(['.falx']);
  });
});
