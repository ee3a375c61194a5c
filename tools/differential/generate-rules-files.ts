/**
 * Writes the differential corpus of whole rules files, one case per line, to stdout:
 * `node --import tsx tools/differential/generate-rules-files.ts [COUNT] [SEED]`. A case is
 * `{"files": [{"name": "rules.yaml", "text": "..."}, ...]}`, loaded in order as Falco loads its
 * `rules_files`. Each starts from a small valid rules file of the project's own (lists, macros,
 * rules) and applies one to three changes: additions, overrides and appends (old and new style),
 * exceptions, requirements, enabled flags, sources, and mistakes in YAML, schema, names,
 * conditions, outputs and values. `write-rules-cases.ts` writes them out for the engine's driver.
 */
import { Random } from './random.ts';

const count = Number(process.argv[2] ?? 1_000);
const random = new Random(Number(process.argv[3] ?? 1));

interface Item {
  /** YAML lines of one top-level item, without the leading "- ". */
  readonly lines: string[];
}

function list(name: string, items: readonly string[]): Item {
  return { lines: [`list: ${name}`, `items: [${items.join(', ')}]`] };
}

function macro(name: string, condition: string): Item {
  return { lines: [`macro: ${name}`, `condition: ${condition}`] };
}

function rule(name: string, fields: Readonly<Record<string, string>>): Item {
  return { lines: [`rule: ${name}`, ...Object.entries(fields).map(([key, value]) => `${key}: ${value}`)] };
}

function baseItems(): Item[] {
  return [
    list('shell_binaries', ['bash', 'sh', 'zsh']),
    list('sensitive_files', ['/etc/shadow', '/etc/sudoers']),
    macro('spawned_process', 'evt.type in (execve, execveat)'),
    macro('open_read', 'evt.type in (open, openat, openat2) and evt.is_open_read=true and fd.typechar=f'),
    rule('Shell spawned', { desc: 'a shell was spawned', condition: 'spawned_process and proc.name in (shell_binaries)', output: '"shell (user=%user.name cmd=%proc.cmdline)"', priority: 'WARNING', tags: '[shell]' }),
    rule('Sensitive read', { desc: 'a sensitive file was read', condition: 'open_read and fd.name in (sensitive_files)', output: '"read %fd.name by %proc.name"', priority: 'ERROR' }),
  ];
}

const conditions = [
  'spawned_process and proc.name = curl',
  'evt.type = connect and fd.sip = 10.0.0.1',
  'spawned_process and proc.args contains "\\ "',
  'spawned_process and proc.name in (shell_binaries, python)',
  'open_read and fd.name startswith /etc',
  'spawned_process and proc.nme = bash',
  'spawned_process and undefined_macro',
  'spawned_process and proc.name = shell_binaries',
  'spawned_process and proc.name=shell_binaries',
  'spawned_process and container.id != host',
  'spawned_process and k8s.ns.name = default',
  'evt.num = 0',
  'proc.name = bash',
  'spawned_process and evt.dir = <',
  'spawned_process and (proc.name = bash',
  '""',
  'spawned_process and fd.net = 10.0.0.0/8',
  'spawned_process and fd.sip = "100.x.x.x"',
  'spawned_process and proc.pid = abc',
  'spawned_process and join("-", (proc.name, proc.exe)) = x',
  'spawned_process and proc.name == anyof and proc.pid > 0',
  'spawned_process and tolower(proc.name) = bash',
  'spawned_process and evt.arg.foo = 1',
  'spawned_process and proc.aname[2] = sshd',
  'spawned_process and proc.name pmatch (/usr/bin)',
  'spawned_process and not proc.name in (sensitive_files)',
];
const outputs = ['"x %proc.name"', '"x %proc.nme"', '"x %container.id"', '""', '"plain"', '"x %evt.arg[0]"', '"%unknown.field here"'];
const priorities = ['WARNING', 'ERROR', 'info', 'Notice', 'CRITICAL', 'debug', 'LOUD', 'informational', '5'];
const sources = ['syscall', 'k8s_audit', 'aws_cloudtrail', 'nosuch'];

type Change = (items: Item[]) => void;

const changes: readonly Change[] = [
  // Additions.
  (items) => items.push(rule(`Added ${random.int(100)}`, { desc: 'added', condition: random.pick(conditions), output: random.pick(outputs), priority: random.pick(priorities) })),
  (items) => items.push(macro(`m_${random.int(50)}`, random.pick(conditions))),
  (items) => items.push(list(`l_${random.int(50)}`, random.pick([['a', 'b'], [], ['"10.0.0.1"', '"100.x.x.x"'], ['shell_binaries', 'python'], ['"quoted item"', "'single'"]]))),
  (items) => items.push(rule('Uses list', { desc: 'd', condition: `spawned_process and proc.name in (${random.pick(['shell_binaries', 'l_1', 'nosuch_list'])})`, output: '"o"', priority: 'WARNING' })),
  // Overrides and appends.
  (items) => items.push({ lines: ['rule: Shell spawned', `condition: ${random.pick(['and proc.pname != sshd', 'or proc.name = ksh', 'proc.name = ksh'])}`, `override:`, `  condition: ${random.pick(['append', 'replace', 'prepend'])}`] }),
  (items) => items.push({ lines: [`rule: ${random.pick(['Shell spawned', 'No such rule'])}`, 'condition: and proc.pname != sshd', 'append: true'] }),
  (items) => items.push({ lines: [`macro: ${random.pick(['spawned_process', 'no_such_macro'])}`, 'condition: or evt.type = fork', random.pick(['append: true', 'override:\n    condition: append', 'override:\n    condition: replace'])] }),
  (items) => items.push({ lines: [`list: ${random.pick(['shell_binaries', 'no_such_list'])}`, 'items: [ksh]', random.pick(['append: true', 'override:\n    items: append', 'override:\n    items: replace', 'override:\n    items: prepend'])] }),
  (items) => items.push({ lines: ['rule: Shell spawned', `enabled: ${random.pick(['false', 'true', 'no', '"false"', '0'])}`] }),
  (items) => items.push({ lines: ['rule: Shell spawned', 'priority: ERROR', 'override:', `  priority: ${random.pick(['replace', 'append'])}`] }),
  (items) => items.push({ lines: ['rule: Shell spawned', 'output: "more %proc.pid"', 'override:', `  output: ${random.pick(['replace', 'append'])}`] }),
  (items) => items.push({ lines: ['rule: Shell spawned', 'desc: changed', 'override:', '  desc: replace', '  condition: replace'] }),
  // Exceptions.
  (items) => items.push(rule('With exceptions', { desc: 'd', condition: 'spawned_process and proc.name = bash', output: '"o"', priority: 'WARNING', exceptions: random.pick([
    '\n    - name: by_parent\n      fields: [proc.pname]\n      values: [[sshd]]',
    '\n    - name: by_parent_and_cmd\n      fields: [proc.pname, proc.cmdline]\n      comps: [=, startswith]\n      values: [[sshd, "bash -c"]]',
    '\n    - name: bad_field\n      fields: [proc.pnme]\n      values: [[sshd]]',
    '\n    - name: bad_comp\n      fields: [proc.pname]\n      comps: [approx]\n      values: [[sshd]]',
    '\n    - name: lengths\n      fields: [proc.pname, proc.cmdline]\n      comps: [=]\n      values: [[sshd, x]]',
    '\n    - name: single\n      fields: proc.pname\n      comps: in\n      values: [sshd, cron]',
    '\n    - name: no_values\n      fields: [proc.pname]',
    '\n    - name: dup\n      fields: [proc.pname]\n    - name: dup\n      fields: [proc.pname]',
    '\n    - fields: [proc.pname]\n      values: [[a]]',
    '\n    - name: list_value\n      fields: [proc.pname]\n      comps: [in]\n      values: [[shell_binaries]]',
  ]) })),
  (items) => items.push({ lines: ['rule: Shell spawned', 'exceptions:', '  - name: extra', '    fields: [proc.pname]', '    values: [[cron]]', random.pick(['append: true', 'override:\n    exceptions: append', 'override:\n    exceptions: replace'])] }),
  // Requirements.
  (items) => items.unshift({ lines: [`required_engine_version: ${random.pick(['0.26.0', '0.62.0', '0.62.1', '0.63.0', '10', '62', '63', '1', 'not.a.version', '"0.40.0"', '0.61'])}`] }),
  (items) => items.unshift({ lines: ['required_plugin_versions:', `  - name: ${random.pick(['container', 'k8saudit', 'json'])}`, `    version: ${random.pick(['0.4.0', '0.7.1', '0.8.0', '1.0.0', 'x.y', '0.4.0-rc1'])}`] }),
  // Sources, tags, priorities, outputs.
  (items) => items.push(rule('Other source', { desc: 'd', condition: 'ka.verb = create', output: '"o"', priority: 'INFO', source: random.pick(sources) })),
  (items) => items.push(rule('Odd fields', { desc: 'd', condition: random.pick(conditions), output: random.pick(outputs), priority: random.pick(priorities), tags: random.pick(['[a, b]', 'notalist', '[]', '[1, 2]']), enabled: random.pick(['true', 'false', 'maybe']) })),
  // Mistakes: schema.
  (items) => items.push(rule('Missing output', { desc: 'd', condition: 'spawned_process', priority: 'WARNING' })),
  (items) => items.push(rule('Missing condition', { desc: 'd', output: '"o"', priority: 'WARNING' })),
  (items) => items.push(rule('Missing desc', { condition: 'spawned_process', output: '"o"', priority: 'WARNING' })),
  (items) => items.push(rule('Unknown key', { desc: 'd', condition: 'spawned_process', output: '"o"', priority: 'WARNING', [random.pick(['foo', 'condtion', 'Desc'])]: 'x' })),
  (items) => items.push({ lines: [`macro: ${random.pick(['m_empty', 'spawned_process'])}`, 'condition:'] }),
  (items) => items.push({ lines: ['list: l_bad', `items: ${random.pick(['notalist', '[[nested]]', '[1, 2]', '{a: b}'])}`] }),
  (items) => items.push({ lines: ['rule: Shell spawned', 'desc: duplicate definition', 'condition: spawned_process', 'output: "o"', 'priority: WARNING'] }),
  (items) => items.push({ lines: ['macro: 123', 'condition: proc.name = x'] }),
  (items) => items.push({ lines: ['rule: ""', 'desc: d', 'condition: proc.name = x', 'output: o', 'priority: WARNING'] }),
  // Ordering: a macro used before it is defined.
  (items) => items.unshift(rule('Early', { desc: 'd', condition: 'late_macro and proc.name = x', output: '"o"', priority: 'WARNING' }), macro('late_macro', 'evt.type = open')),
  // Unused items.
  (items) => items.push(macro(`unused_${random.int(9)}`, 'proc.name = x'), list(`unused_list_${random.int(9)}`, ['x'])),
];

function render(items: readonly Item[]): string {
  return `${items.map((item) => `- ${item.lines.join('\n  ')}`).join('\n\n')}\n`;
}

/** Mistakes in the YAML itself, applied to the rendered text. */
const textMistakes: readonly ((text: string) => string)[] = [
  (text) => text.replace('items: [bash, sh, zsh]', 'items: [bash, sh, zsh'),
  (text) => `${text}\n- rule: Tab\n\tdesc: x\n`,
  () => 'just a string\n',
  () => 'rule: not in a list\n',
  (text) => `${text}- 42\n`,
  (text) => text.replace('- list: shell_binaries', '- list: shell_binaries\n  items: [dup]'),
  () => '',
  () => '[]\n',
  (text) => `${text}---\n- rule: second document\n`,
];

const out: string[] = [];
for (let index = 0; index < count; index++) {
  const items = baseItems();
  const applied = 1 + random.int(3);
  for (let step = 0; step < applied; step++) random.pick(changes)(items);
  let text = render(items);
  if (random.chance(0.06)) text = random.pick(textMistakes)(text);
  const files = [{ name: 'rules.yaml', text }];
  // A second file overriding the first, as a local rules file does.
  if (random.chance(0.2)) {
    const second: Item[] = [];
    random.pick(changes)(second);
    files.push({ name: 'local_rules.yaml', text: render(second) });
  }
  out.push(JSON.stringify({ files }));
}
process.stdout.write(`${out.join('\n')}\n`);
