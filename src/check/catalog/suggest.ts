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
    const distance = candidate.toLowerCase() === input.toLowerCase() ? 0 : editDistance(input, candidate);
    if (distance <= threshold) scored.push({ candidate, distance });
  }
  scored.sort((a, b) => a.distance - b.distance || (a.candidate < b.candidate ? -1 : 1));
  // Only the closest candidates: a near miss next to far ones only adds noise.
  const best = scored[0]?.distance;
  return scored.filter((s) => s.distance === best).slice(0, limit).map((s) => s.candidate);
}

/** Damerau-Levenshtein distance (adjacent transpositions count as one edit). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
      }
    }
  }
  return d[a.length]![b.length]!;
}

/** "Did you mean "a" or "b"?" */
export function didYouMean(suggestions: readonly string[]): string | undefined {
  if (suggestions.length === 0) return undefined;
  const quoted = suggestions.map((s) => `"${s}"`);
  const list = quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
  return `Did you mean ${list}?`;
}
