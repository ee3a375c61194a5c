import { expect } from 'chai';
import { escapeData, escapeProperty } from '../../src/diagnostics/render-github.ts';
import { brokenRules, falx, folderWith } from './support/falx-process.ts';

describe('falx check --format github', () => {
  it('writes one workflow command per finding, located, with its hint and notes (the error falco -V reports says so), then the summary line', async () => {
    const dir = folderWith({ 'rules.yaml': brokenRules });
    const result = await falx(['check', '--format', 'github', 'rules.yaml'], dir);
    expect(result.code).to.equal(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).to.have.length(5);
    expect(lines[0]).to.equal('::error file=rules.yaml,line=2,col=20,endLine=2,endColumn=23,title=FX3013::Item "web" of list "trusted_ports" is not a valid port for fd.sport.%0AHint: Falco says: unrecognized protocol web.%0ANote: falco -V reports this error (LOAD_ERR_COMPILE_CONDITION) and stops: it is the first Falco meets.');
    expect(lines).to.include('::warning file=rules.yaml,line=4,col=9,endLine=4,endColumn=20,title=LOAD_UNUSED_LIST::List not referred to by any other rule/macro.');
    expect(lines).to.include('::error file=rules.yaml,line=12,col=62,endLine=12,endColumn=70,title=FX2001::Unknown field "proc.nme".%0AHint: Did you mean "proc.name"?');
    expect(lines[4]).to.match(/^1 file checked in [\d.]+s: 3 errors, 1 warning\.$/);
  });

  it('escapes what would end a command: %, CR, LF in messages; also : and , in properties', () => {
    expect(escapeData('100% done\r\nnext')).to.equal('100%25 done%0D%0Anext');
    expect(escapeProperty('dir,x/a:b.yaml')).to.equal('dir%2Cx/a%3Ab.yaml');
  });
});
