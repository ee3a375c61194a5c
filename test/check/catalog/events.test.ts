import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  allEventParameters,
  allEventTypes,
  eventParameterType,
  eventTypeSource,
  isComparableRawArg,
  isEventType,
  paramFieldType,
  paramIntegerRange,
  paramTypeFamily,
  rawArgTypeError,
  resolveEventArgument,
} from '../../../src/check/catalog/events.ts';
import { dumpedFieldsPath, itWithShared, readSemanticsCases, readUpstreamRules, semanticsCasesPath, semanticsEventsPath, upstreamRulesPath } from '../../support/corpus.ts';

/** The values compared with `evt.type` in a condition (`=`, `!=`, other operators, `in (...)`). */
function evtTypeValues(condition: string): string[] {
  const values: string[] = [];
  for (const m of condition.matchAll(/evt\.type\s*(?:=|!=|<=|>=|<|>|startswith|endswith|contains|icontains|glob|regex)\s*("[^"]*"|'[^']*'|[^\s()]+)/g)) {
    values.push(unquote(m[1] as string));
  }
  for (const m of condition.matchAll(/evt\.type\s+in\s*\(([^)]*)\)/g)) {
    for (const item of (m[1] as string).split(',')) if (item.trim() !== '') values.push(unquote(item.trim()));
  }
  return values;
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `evt.arg.X` / `evt.rawarg.X` names used in a condition. */
function argNames(condition: string): { kind: 'arg' | 'rawarg'; name: string }[] {
  return [...condition.matchAll(/evt\.(arg|rawarg)\.([A-Za-z0-9_]+)/g)].map((m) => ({ kind: m[1] as 'arg' | 'rawarg', name: m[2] as string }));
}

interface DumpedField {
  name: string;
  type: string;
}

function dumpedFields(): DumpedField[] {
  return readFileSync(dumpedFieldsPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as DumpedField);
}

describe('check/catalog/events', () => {
  describe('evt.type values', () => {
    itWithShared('accepts every evt.type value of the upstream falco_rules.yaml', [upstreamRulesPath], () => {
      const items = parseYaml(readUpstreamRules()) as Record<string, unknown>[];
      const values = new Set<string>();
      for (const item of items) {
        if (typeof item['condition'] === 'string') for (const v of evtTypeValues(item['condition'])) values.add(v);
      }
      expect(values.size).to.be.greaterThan(10);
      expect([...values].filter((v) => !isEventType(v))).to.deep.equal([]);
    });

    itWithShared('agrees with every corpus case that compares evt.type', [semanticsCasesPath], () => {
      let checked = 0;
      for (const c of readSemanticsCases()) {
        const values = evtTypeValues(c.condition);
        if (values.length === 0) continue;
        const unknown = /^unknown event type (.*)$/.exec(c.error ?? '');
        if (c.ok) {
          expect(values.filter((v) => !isEventType(v)), c.condition).to.deep.equal([]);
        } else if (unknown) {
          expect(isEventType(unknown[1] as string), c.condition).to.equal(false);
          expect(values.filter((v) => !isEventType(v)), c.condition).to.deep.equal([unknown[1]]);
        }
        checked++;
      }
      expect(checked).to.be.greaterThan(20);
    });

    itWithShared('accepts every evt.type value the real engine extracted in the corpus events', [semanticsEventsPath], () => {
      const seen = new Set<string>();
      for (const line of readFileSync(semanticsEventsPath, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const type = (JSON.parse(line) as { fields: Record<string, unknown> }).fields['evt.type'];
        if (typeof type === 'string') seen.add(type);
      }
      expect(seen.size).to.be.greaterThan(30);
      expect([...seen].filter((v) => !isEventType(v))).to.deep.equal([]);
    });

    it('rejects what libsinsp rejects: case, numbers, prefixes, patterns, unknown names', () => {
      for (const v of ['OPEN', '228', 'clock', 'nosuch', 'open|close', '_wait', 'Execve', ' open', 'open ']) {
        expect(isEventType(v), v).to.equal(false);
      }
    });

    it('accepts event-table names, syscall names and the generic event', () => {
      for (const v of ['open', 'execve', 'connect', 'openat2', 'syscall', 'switch', 'procexit', 'container', 'clock_gettime', 'rt_sigprocmask']) {
        expect(isEventType(v), v).to.equal(true);
      }
      expect(eventTypeSource('syscall')).to.equal('event');
      expect(eventTypeSource('clock_gettime')).to.equal('syscall');
      expect(eventTypeSource('open')).to.equal('both');
      expect(eventTypeSource('nosuch')).to.equal(undefined);
    });

    it('lists event types sorted and unique', () => {
      const types = allEventTypes();
      expect([...types].sort()).to.deep.equal(types);
      expect(new Set(types).size).to.equal(types.length);
      expect(types).to.not.include('');
    });
  });

  describe('evt.arg / evt.rawarg names', () => {
    itWithShared('knows every evt.arg.<name> the real engine dumped', [dumpedFieldsPath], () => {
      const fields = dumpedFields();
      const names = fields.filter((f) => f.name.startsWith('evt.arg.')).map((f) => f.name.slice('evt.arg.'.length));
      expect(names.length).to.be.greaterThan(50);
      expect(names.filter((n) => eventParameterType(n) === undefined)).to.deep.equal([]);
    });

    itWithShared('gives every dumped evt.rawarg.<name> the type libsinsp reported', [dumpedFieldsPath], () => {
      const raw = dumpedFields().filter((f) => f.name.startsWith('evt.rawarg.'));
      expect(raw.length).to.be.greaterThan(10);
      for (const f of raw) {
        const name = f.name.slice('evt.rawarg.'.length);
        expect(eventParameterType(name), f.name).to.equal(`PT_${f.type}`);
      }
    });

    itWithShared('agrees with every corpus case that uses evt.arg / evt.rawarg', [semanticsCasesPath], () => {
      let checked = 0;
      for (const c of readSemanticsCases()) {
        const args = argNames(c.condition);
        if (args.length === 0) continue;
        const unknown = /^unknown event argument (.*)$/.exec(c.error ?? '');
        if (c.ok) {
          for (const a of args) expect(resolveEventArgument(a.name).ok, c.condition).to.equal(true);
        } else if (unknown) {
          const r = resolveEventArgument(unknown[1] as string);
          expect(r.ok).to.equal(false);
          if (!r.ok) expect(r.message).to.equal(c.error);
        }
        checked++;
      }
      expect(checked).to.be.greaterThan(20);
    });

    it('resolves names by longest parameter prefix, as libsinsp does', () => {
      expect(resolveEventArgument('fd')).to.deep.equal({ ok: true, name: 'fd', type: 'PT_FD' });
      expect(resolveEventArgument('fdlimit')).to.deep.equal({ ok: true, name: 'fdlimit', type: 'PT_UINT64' });
      const partial = resolveEventArgument('fdx', 'evt.rawarg.fdx');
      expect(partial).to.deep.equal({ ok: false, reason: 'partial', name: 'fd', message: 'filter_check called with nonexistent field evt.rawarg.fdx' });
      expect(resolveEventArgument('nosuch')).to.deep.equal({ ok: false, reason: 'unknown', message: 'unknown event argument nosuch' });
    });

    it('lists parameter names sorted and unique', () => {
      const names = allEventParameters();
      expect([...names].sort()).to.deep.equal(names);
      expect(new Set(names).size).to.equal(names.length);
    });
  });

  describe('evt.rawarg comparability and types', () => {
    it('rejects comparing evt.rawarg.sig like libsinsp ("wrong parameter type 19")', () => {
      expect(isComparableRawArg('sig')).to.equal(false);
      expect(rawArgTypeError('sig')).to.equal('wrong parameter type 19');
      expect(paramTypeFamily('PT_SIGTYPE')).to.equal(undefined);
    });

    it('compares every numeric rawarg a corpus case compares', () => {
      for (const name of ['res', 'fd', 'flags', 'size', 'pid', 'length', 'prot', 'timeout']) {
        expect(isComparableRawArg(name), name).to.equal(true);
        expect(rawArgTypeError(name), name).to.equal(undefined);
        expect(paramTypeFamily(eventParameterType(name) as string), name).to.equal('numeric');
      }
      expect(isComparableRawArg('nosuch')).to.equal(false);
      expect(rawArgTypeError('nosuch')).to.equal(undefined);
    });

    it('maps parameter types to catalog types and integer ranges', () => {
      expect(paramFieldType('PT_ERRNO')).to.equal('INT64');
      expect(paramFieldType('PT_FSPATH')).to.equal('CHARBUF');
      expect(paramFieldType('PT_FLAGS32')).to.equal('UINT32');
      expect(paramFieldType('PT_UINT8')).to.equal(undefined);
      expect(paramIntegerRange('PT_UINT8')).to.deep.equal({ bits: 8, signed: false });
      expect(paramIntegerRange('PT_FD')).to.deep.equal({ bits: 64, signed: true });
      expect(paramTypeFamily('PT_CHARBUF')).to.equal('string');
      expect(paramTypeFamily('PT_BYTEBUF')).to.equal(undefined);
    });
  });
});
