/**
 * Falco releases and the rules-engine version each one has (reference §0, from
 * `falco_engine_version.h` at each tag). Old integer engine versions N are written as 0.N.0, as
 * Falco itself reads them.
 */

/** Falco minor release (major.minor) → engine version. */
const engineByFalco: ReadonlyMap<string, string> = new Map([
  ['0.26', '0.7.0'], ['0.27', '0.7.0'], ['0.28', '0.8.0'], ['0.29', '0.8.0'],
  ['0.30', '0.9.0'], ['0.31', '0.11.0'], ['0.32', '0.12.0'], ['0.33', '0.15.0'], ['0.34', '0.15.0'],
  ['0.35', '0.17.0'], ['0.36', '0.26.0'], ['0.37', '0.31.0'], ['0.38', '0.40.0'], ['0.39', '0.43.0'],
  ['0.40', '0.46.0'], ['0.41', '0.50.0'], ['0.42', '0.57.0'], ['0.43', '0.58.0'], ['0.44', '0.62.0'],
  ['0.45', '0.63.0'],
]);

/** The release falx checks against unless told otherwise: the newest it knows. */
export const defaultFalcoVersion = '0.45';

/** What changed in the condition language itself between the releases falx checks exactly. */
export interface LanguageLevel {
  /** `\xHH` escapes in quoted strings (Falco 0.45). */
  readonly hexEscapes: boolean;
  /** The parser's recursion limit (Falco 0.45 enforces 1,000; 0.44 has none that works). */
  readonly maxDepth: number | undefined;
  /** LOAD_NO_EVTTYPE for a condition that matches no event type at all (0.44 warns; 0.45 does not: such a rule can never fire). */
  readonly warnNoEventTypes: boolean;
  /** `evt.num = 0` matches no event and `evt.num > 0` every one, for the event-type analysis (0.45). */
  readonly evtNumInvariants: boolean;
}

/** The language of Falco `version` (a known one). */
export function languageOf(version: string): LanguageLevel {
  const engine = engineVersionOf(version) ?? engineVersionOf(defaultFalcoVersion)!;
  const modern = compareEngineVersions(engine, '0.63.0') >= 0;
  return { hexEscapes: modern, maxDepth: modern ? 1000 : undefined, warnNoEventTypes: !modern, evtNumInvariants: modern };
}

/** The Falco releases falx knows, oldest first, for messages. */
export const knownFalcoReleases: readonly string[] = [...engineByFalco.keys()];

/** The engine version of Falco `version` (`X.Y` or `X.Y.Z`), or undefined for a release falx does not know. */
export function engineVersionOf(version: string): string | undefined {
  const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  return match === null ? undefined : engineByFalco.get(`${Number(match[1])}.${Number(match[2])}`);
}

/** Reads an engine version as Falco does: an integer N is 0.N.0; otherwise x.y.z. */
export function parseEngineVersion(text: string): readonly [number, number, number] | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return [0, Number(trimmed), 0];
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(trimmed);
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Compares two engine versions (negative, zero, positive); unparsable versions compare as equal. */
export function compareEngineVersions(a: string, b: string): number {
  const x = parseEngineVersion(a);
  const y = parseEngineVersion(b);
  if (x === undefined || y === undefined) return 0;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * Whether an engine satisfies a rules file's `required_engine_version`: Falco requires the same
 * major version and an engine at least as new (reference §1.5).
 */
export function engineSatisfies(engine: string, required: string): boolean {
  const e = parseEngineVersion(engine);
  const r = parseEngineVersion(required);
  if (e === undefined || r === undefined) return true;
  return e[0] === r[0] && compareEngineVersions(engine, required) >= 0;
}

/** A plugin Falco loads, by name and version. */
export interface LoadedPlugin {
  readonly name: string;
  readonly version: string;
}

/**
 * The plugins a Falco release loads with its default configuration: the container plugin it
 * bundles (Falco 0.44.1 ships container 0.7.1; since 0.41 the container fields are the plugin's).
 */
export function defaultPlugins(falcoVersion: string): LoadedPlugin[] {
  const engine = engineVersionOf(falcoVersion);
  return engine !== undefined && compareEngineVersions(engine, '0.50.0') >= 0 ? [{ name: 'container', version: '0.7.1' }] : [];
}

/**
 * Whether a loaded plugin version satisfies a required one, as libsinsp's
 * `sinsp_version::compatible_with`: the same major version, and at least as new.
 */
export function pluginSatisfies(loaded: string, required: string): boolean {
  // sinsp_version reads the three numbers and ignores what follows (`0.4.0-rc1` is 0.4.0).
  const parse = (text: string): number[] | undefined => /^(\d+)\.(\d+)\.(\d+)/.exec(text.trim())?.slice(1, 4).map(Number);
  const l = parse(loaded);
  const r = parse(required);
  if (l === undefined || r === undefined) return false;
  return l[0] === r[0] && (l[1]! - r[1]! || l[2]! - r[2]!) >= 0;
}
