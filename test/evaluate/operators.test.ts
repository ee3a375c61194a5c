import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { compileCondition, eventFromJson, type JsonValue } from '../../src/evaluate/compile.ts';
import type { Expr } from '../../src/language/ast.ts';
import { parseCondition } from '../../src/language/parse-condition.ts';

const catalog = new Catalog();
const alertCatalog = new Catalog(undefined, { alertFields: true });

function parse(condition: string, alertFields = false): Expr {
  const parsed = parseCondition(condition, { alertFields });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.expr;
}

/** Evaluates `condition` on an event given as a bare field map (or corpus record). */
function matches(condition: string, event: JsonValue, options: { lists?: Record<string, string[]>; macros?: Record<string, string> } = {}): boolean {
  const macros = new Map(Object.entries(options.macros ?? {}).map(([name, text]) => [name, parse(text)]));
  const lists = new Map(Object.entries(options.lists ?? {}));
  return compileCondition(parse(condition), { catalog, macros, lists })(eventFromJson(event));
}

describe('evaluate/operators', () => {
  it('makes every operator false on a missing field, and not true', () => {
    for (const check of ['fd.name != /dev/null', 'fd.name in (x)', 'fd.name glob "*"', 'fd.name contains ""', 'fd.name pmatch (/)', 'len(fd.name) >= 0', 'b64(fd.name) exists', 'proc.name = val(fd.name)']) {
      expect(matches(check, { 'proc.name': 'x' }), check).to.equal(false);
      expect(matches(`not ${check}`, { 'proc.name': 'x' }), check).to.equal(true);
    }
    expect(matches('fd.name exists', {})).to.equal(false);
    expect(matches('proc.name exists', { 'proc.name': '<NA>' })).to.equal(true);
  });

  it('compares strings by bytes, case-sensitively except icontains and iglob', () => {
    const event = { 'proc.name': 'curl', 'fd.name': '/tmp/File-1' };
    expect(matches('proc.name = CURL', event)).to.equal(false);
    expect(matches('proc.name icontains UR', event)).to.equal(true);
    expect(matches('proc.name contains UR', event)).to.equal(false);
    expect(matches('fd.name iglob "/TMP/FILE-?"', event)).to.equal(true);
    expect(matches('proc.name < 1', event)).to.equal(false);
    expect(matches('proc.name > 1', event)).to.equal(true);
    expect(matches('proc.name startswith ""', event)).to.equal(true);
    expect(matches('proc.name in (CURL, Ls)', event)).to.equal(false);
    expect(matches('proc.name = café', { 'proc.name': 'café' })).to.equal(true);
  });

  it('globs like fnmatch without flags: * crosses /', () => {
    const event = { 'fd.name': '/lib/x86_64-linux-gnu/libc.so.6' };
    expect(matches('fd.name glob "/lib/*/libc*"', event)).to.equal(true);
    expect(matches('fd.name glob "*.so.*"', event)).to.equal(true);
    expect(matches('fd.name glob "/lib/[!x]*"', event)).to.equal(false);
    expect(matches('proc.name glob "\\\\*"', { 'proc.name': '*' })).to.equal(true);
    expect(matches('proc.name glob "[a"', { 'proc.name': '[a' })).to.equal(true);
  });

  it('pmatches whole path components, with wildcards, (/) and ()', () => {
    expect(matches('fd.name pmatch (/tmp/file-1)', { 'fd.name': '/tmp/file-1/x' })).to.equal(true);
    expect(matches('fd.name pmatch (/tmp/file-1)', { 'fd.name': '/tmp/file-10' })).to.equal(false);
    expect(matches('fd.name pmatch (/tm)', { 'fd.name': '/tmp/x' })).to.equal(false);
    expect(matches('fd.name pmatch (/t*/file-1)', { 'fd.name': '/tmp/file-1' })).to.equal(true);
    expect(matches('fd.name pmatch (/)', { 'fd.name': '/anything' })).to.equal(true);
    expect(matches('fd.name pmatch ()', { 'fd.name': '/anything' })).to.equal(false);
    expect(matches('proc.name pmatch (curl)', { 'proc.name': 'curl' })).to.equal(true);
  });

  it('regex is a full match in which . does not match a newline', () => {
    expect(matches('proc.name regex "ur"', { 'proc.name': 'curl' })).to.equal(false);
    expect(matches('proc.name regex "c.*"', { 'proc.name': 'curl' })).to.equal(true);
    expect(matches('proc.name regex ".*"', { 'proc.name': 'a\nb' })).to.equal(false);
  });

  it('compares numbers exactly, given as numbers, bigints or strings, with sscanf right-hand values', () => {
    expect(matches('fd.num > +10', { 'fd.num': 11 })).to.equal(true);
    expect(matches('fd.num = 007', { 'fd.num': '7' })).to.equal(true);
    expect(matches('user.uid = 4294967296', { 'user.uid': 0 })).to.equal(true);
    expect(matches('user.uid = -1', { 'user.uid': 4294967295 })).to.equal(true);
    expect(matches('evt.rawtime > 1534527348514632619', { 'evt.rawtime': 1534527348514632620n })).to.equal(true);
    expect(matches('evt.rawtime > 1534527348514632619', { 'evt.rawtime': '1534527348514632619' })).to.equal(false);
    expect(matches('proc.fdusage > 1', { 'proc.fdusage': 1.5 })).to.equal(true);
    expect(matches('fd.num in (-1, 3)', { 'fd.num': -1 })).to.equal(true);
    expect(matches('proc.pid < val(proc.ppid)', { 'proc.pid': 5, 'proc.ppid': 6 })).to.equal(true);
  });

  it('compares booleans and ports (service names, modulo 65536)', () => {
    expect(matches("fd.is_server = 'true'", { 'fd.is_server': true })).to.equal(true);
    expect(matches('fd.is_server in (false)', { 'fd.is_server': true })).to.equal(false);
    expect(matches('fd.sport = http', { 'fd.sport': 80 })).to.equal(true);
    expect(matches('fd.sport = 65536', { 'fd.sport': 0 })).to.equal(true);
  });

  it('compares IP addresses by bytes, and never across families', () => {
    expect(matches('fd.sip = 0:0:0:0:0:0:0:1', { 'fd.sip': '::1' })).to.equal(true);
    expect(matches('fd.sip in (127.0.0.1, ::1)', { 'fd.sip': '::1' })).to.equal(true);
    expect(matches('fd.sip = ::1', { 'fd.sip': '0.0.0.1' })).to.equal(false);
    expect(matches('fd.sip != ::1', { 'fd.sip': '0.0.0.1' })).to.equal(true);
    expect(matches('fd.snet = 10.0.0.1/8', { 'fd.snet': '10.9.9.9' })).to.equal(true);
    expect(matches('fd.snet = 0.0.0.0/0', { 'fd.snet': '::1' })).to.equal(false);
    expect(matches('fd.snet in (127.0.0.0/8, 2001:db8::/32)', { 'fd.snet': '2001:db8::3' })).to.equal(true);
    expect(matches('fd.snet = anyof (10.0.0.0/8)', { 'fd.snet': '10.0.0.1' })).to.equal(false);
    expect(matches('fd.snet != allof (10.0.0.0/8)', { 'fd.snet': '10.0.0.1' })).to.equal(true);
  });

  it('applies the either-endpoint rules of fd.ip, fd.port, fd.proto and fd.net', () => {
    const connected = { fields: {}, filter_only: { 'fd.ip': ['10.0.2.2', '10.0.2.15'], 'fd.port': [49289, 22] } };
    const file = { fields: {}, filter_only: { 'fd.ip': [], 'fd.port': [] } };
    expect(matches('fd.ip = 10.0.2.15', connected)).to.equal(true);
    expect(matches('fd.ip != 10.0.2.15', connected)).to.equal(false);
    expect(matches('fd.ip != ::1', connected)).to.equal(true);
    expect(matches('fd.ip != 10.0.2.15', file)).to.equal(false);
    expect(matches('fd.ip in (10.0.2.15)', connected)).to.equal(false);
    expect(matches('fd.ip exists', file)).to.equal(true);
    expect(matches('fd.port = 22', connected)).to.equal(true);
    expect(matches('fd.port > 50000', connected)).to.equal(false);
    expect(matches('fd.port != 22', connected)).to.equal(false);
    expect(matches('fd.proto in (22)', connected)).to.equal(true);
    expect(matches('fd.net = 10.0.0.0/8', connected)).to.equal(true);
    expect(matches('fd.net in (192.168.0.0/16, 10.0.0.0/8)', connected)).to.equal(false);
    expect(matches('fd.net in (10.0.0.0/8, 192.168.0.0/16)', connected)).to.equal(true);
  });

  it('matches ancestors without an index on any ancestor, from index 1 to the first missing', () => {
    const event = { 'proc.aname[0]': 'cat', 'proc.aname[1]': 'bash', 'proc.aname[2]': 'sshd', 'proc.aname[4]': 'systemd', 'proc.apid[1]': 10 };
    expect(matches('proc.aname = sshd', event)).to.equal(true);
    expect(matches('proc.aname = cat', event)).to.equal(false);
    expect(matches('proc.aname = systemd', event)).to.equal(false);
    expect(matches('proc.aname != bash', event)).to.equal(true);
    expect(matches('proc.aname in (sshd, x)', event)).to.equal(true);
    expect(matches('proc.aname = anyof (x, sshd)', event)).to.equal(false);
    expect(matches('proc.apid in (10)', event)).to.equal(false);
    expect(matches('proc.apid = 10', event)).to.equal(true);
    expect(matches('proc.aname exists', { 'proc.aname[0]': 'init' })).to.equal(false);
  });

  it('treats list fields as sets: in is subset, intersects shares an item', () => {
    const event = { 'fd.types': ['file', 'pipe'] };
    expect(matches('fd.types in (file, pipe, unix)', event)).to.equal(true);
    expect(matches('fd.types in (file)', event)).to.equal(false);
    expect(matches('fd.types in ()', { 'fd.types': [] })).to.equal(true);
    expect(matches('fd.types intersects (unix, pipe)', event)).to.equal(true);
    expect(matches('fd.types intersects ()', event)).to.equal(false);
  });

  it('combines modifiers per item; an empty list is false', () => {
    const event = { 'proc.name': 'curl' };
    expect(matches('proc.name startswith anyof (cu, ss)', event)).to.equal(true);
    expect(matches('proc.name iglob allof ("C*", "*L")', event)).to.equal(true);
    expect(matches('proc.name contains oneof (c, u)', event)).to.equal(false);
    expect(matches('proc.name != oneof (curl, sshd)', event)).to.equal(true);
    expect(matches('proc.name endswith anyof ()', event)).to.equal(false);
  });

  it('compares byte buffers by their raw bytes', () => {
    const event = { fields: { 'evt.buffer': '.ELF' }, hex: { 'evt.buffer': '7f454c46' } };
    expect(matches('evt.buffer bstartswith 7F45', event)).to.equal(true);
    expect(matches('evt.buffer bcontains 454c46', event)).to.equal(true);
    expect(matches('evt.buffer contains ELF', event)).to.equal(true);
    expect(matches('evt.buffer = ".ELF"', event)).to.equal(false);
    expect(matches('len(evt.buffer) = 4', event)).to.equal(true);
  });

  it('applies transformers, and a transformer over a missing value is missing', () => {
    const event = { 'proc.name': 'curl', 'proc.exe': '/usr/bin/CURL', 'user.name': 'root', 'fd.types': ['file', 'pipe'] };
    expect(matches('toupper(proc.name) = CURL', event)).to.equal(true);
    expect(matches('proc.name = tolower(basename(proc.exe))', event)).to.equal(true);
    expect(matches('len(proc.name) = 4', event)).to.equal(true);
    expect(matches('len(fd.types) = 2', event)).to.equal(true);
    expect(matches('join(",", fd.types) = "file,pipe"', event)).to.equal(true);
    expect(matches('concat(proc.name, "@", user.name) = curl@root', event)).to.equal(true);
    expect(matches('concat(proc.name, "@", fd.name) exists', event)).to.equal(false);
    expect(matches('b64(proc.name) exists', { 'proc.name': 'sysdig' })).to.equal(true);
    expect(matches('b64(proc.name) exists', { 'proc.name': 'python' })).to.equal(false);
    expect(matches('b64(proc.name) = hello', { 'proc.name': 'aGVsbG8=' })).to.equal(true);
    expect(matches('basename(fd.name) = ""', { 'fd.name': '/tmp/' })).to.equal(true);
  });

  it('uses only the numeric comparisons for numeric evt.rawarg, never in', () => {
    expect(matches('evt.rawarg.res = -2', { 'evt.rawarg.res': -2 })).to.equal(true);
    expect(matches('evt.rawarg.res in (-2)', { 'evt.rawarg.res': -2 })).to.equal(false);
  });

  it('empties a list whose first item has a bad escape', () => {
    expect(matches('proc.name in ("\\q")', { 'proc.name': '\\q' })).to.equal(false);
    expect(matches('not proc.name in ("\\q")', { 'proc.name': 'x' })).to.equal(true);
  });

  it('expands macros and lists recursively', () => {
    const options = { macros: { shell: 'proc.name in (shells)', spawned: 'evt.type = execve' }, lists: { shells: ['bash', 'more_shells'], more_shells: ['zsh', '"fish"'] } };
    expect(matches('spawned and shell', { 'evt.type': 'execve', 'proc.name': 'fish' }, options)).to.equal(true);
    expect(matches('spawned and shell', { 'evt.type': 'execve', 'proc.name': 'sh' }, options)).to.equal(false);
    expect(matches('proc.name in ("shells")', { 'proc.name': 'shells' }, options)).to.equal(true);
    expect(() => matches('nosuch', {})).to.throw(/undefined macro "nosuch"/);
    expect(() => compileCondition(parse('proc.nme = x'), { catalog })).to.throw(/proc\.nme/);
  });

  it('evaluates router conditions on alert keys, with Falco priority order', () => {
    const matcher = (condition: string) => compileCondition(parse(condition, true), { catalog: alertCatalog });
    const alert = eventFromJson({ output_fields: { 'proc.name': 'curl' }, rule: 'Outbound', priority: 'Warning', source: 'syscall', tags: ['network', 'T1041'], hostname: 'h1' });
    expect(matcher('priority >= warning')(alert)).to.equal(true);
    expect(matcher('priority > warning')(alert)).to.equal(false);
    expect(matcher('priority >= ERROR')(alert)).to.equal(false);
    expect(matcher('priority < error and priority >= info')(alert)).to.equal(true);
    expect(matcher('priority in (warning, critical)')(alert)).to.equal(true);
    expect(matcher('tags intersects (network, x)')(alert)).to.equal(true);
    expect(matcher('tags in (network)')(alert)).to.equal(false);
    expect(matcher('rule = Outbound and source = syscall and hostname = h1 and proc.name = curl')(alert)).to.equal(true);
  });
});
