/**
 * How libsinsp 0.25.4 reads a field's argument, field by field (its `parse_field_name`): some
 * take it in brackets only (`proc.aname[2]`, `proc.env[HOME]`), some after a dot only
 * (`evt.rawarg.res`, `thread.cgroup.cpu`, `evt.type.is.open`), `evt.arg` both (`evt.arg[0]`,
 * `evt.arg.fd`). A bracketed index is a decimal integer with an optional sign (`[-1]`, `[+2]`).
 * Fields not listed take a bracketed argument of any text (the container plugin's
 * `k8s.pod.label[app]`) and no dotted one.
 */
export interface ArgumentForm {
  /** What may stand in brackets: an integer index, any text, or nothing (brackets refused). */
  readonly bracket: 'index' | 'any' | 'none';
  /** Whether `field.arg` is read as the field with an argument. */
  readonly dotted: boolean;
}

const index: ArgumentForm = { bracket: 'index', dotted: false };

const forms: ReadonlyMap<string, ArgumentForm> = new Map([
  ['evt.arg', { bracket: 'index', dotted: true }],
  ['evt.rawarg', { bracket: 'none', dotted: true }],
  ['evt.around', index],
  ['evt.type.is', { bracket: 'none', dotted: true }],
  ['thread.cgroup', { bracket: 'none', dotted: true }],
  // Declared as taking an argument, yet no form of one is accepted.
  ['evt.abspath', { bracket: 'none', dotted: false }],
  ['proc.aname', index],
  ['proc.aexe', index],
  ['proc.aexepath', index],
  ['proc.acmdline', index],
  ['proc.apid', index],
  ['proc.args', index],
  ['proc.aargs', index],
  ['fd.types', index],
  ['proc.env', { bracket: 'any', dotted: false }],
  ['proc.aenv', { bracket: 'any', dotted: false }],
]);

const pluginDefault: ArgumentForm = { bracket: 'any', dotted: false };

export function argumentForm(field: string): ArgumentForm {
  return forms.get(field) ?? pluginDefault;
}

/** An index as libsinsp reads one (`std::stoi` of the whole text). */
export function isIndexArgument(text: string): boolean {
  return /^[+-]?\d+$/.test(text);
}
