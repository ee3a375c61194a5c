/**
 * "Did you mean" suggestions: the closest candidates by edit distance (after graphql-js's
 * suggestionList), keeping only those tied for the smallest distance.
 */
export function suggest(input: string, candidates: Iterable<string>, limit = 3, maxDistance?: number): string[] {
  const threshold = maxDistance ?? Math.max(1, Math.floor(input.length * 0.4));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of candidates) {
    // The length difference bounds the distance from below: skip the quadratic work when it is too big.
    if (Math.abs(candidate.length - input.length) > threshold) continue;
    const distance = candidate.toLowerCase() === input.toLowerCase() ? 0 : editDistance(input, candidate, threshold);
    if (distance <= threshold) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1));
  // Only the closest candidates: a near miss next to far ones only adds noise.
  const best = scored[0]?.distance;
  return scored.filter((s) => s.distance === best).slice(0, limit).map((s) => s.candidate);
}

/** The rows editDistance works in (grown when a longer word comes). */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Damerau-Levenshtein distance (adjacent transpositions count as one edit). With `max`, gives up as
 * soon as the distance must exceed it (and returns max + 1): suggestions are asked for every
 * unknown name of a file, against every known field, so this runs millions of times on big files.
 * Three rolling rows, reused from call to call.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const cols = b.length + 1;
  if (rows[0].length < cols) rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  let [before, previous, current] = rows;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    // Every later row is at least this row's minimum minus nothing: the distance cannot come back under max.
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length]!;
}

/** "Did you mean "a" or "b"?" */
export function didYouMean(suggestions: readonly string[]): string | undefined {
  if (suggestions.length === 0) return undefined;
  const quoted = suggestions.map((s) => `"${s}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return `Did you mean ${list}?`;
}
