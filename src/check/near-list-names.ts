/**
 * List names one or two edits away from a word, for FX2012 ("no list is named x; did you mean y?").
 * Every unquoted word with an underscore is looked up, so a file with tens of thousands of lists
 * and as many such words would compare every word with every list name (minutes). So the names
 * are bucketed by length once per set of lists (only names of about the word's length can be that
 * close), each word's answer is remembered, and one set of lists is compared at most
 * `comparisonLimit` times; past that, no more near misses are looked for.
 */
import { suggest } from './catalog/suggest.ts';

const maxDistance = 2;
const comparisonLimit = 5_000_000;

interface NameIndex {
  readonly byLength: Map<number, string[]>;
  readonly answers: Map<string, readonly string[]>;
  comparisons: number;
}

const indexes = new WeakMap<ReadonlyMap<string, unknown>, NameIndex>();

/** Up to three names of `lists` closest to `word`, within two edits. */
export function nearListNames(word: string, lists: ReadonlyMap<string, unknown>): readonly string[] {
  const index = indexOf(lists);
  const known = index.answers.get(word);
  if (known !== undefined) return known;
  const buckets: string[][] = [];
  let count = 0;
  for (let length = word.length - maxDistance; length <= word.length + maxDistance; length++) {
    const bucket = index.byLength.get(length);
    if (bucket === undefined) continue;
    buckets.push(bucket);
    count += bucket.length;
  }
  if (index.comparisons + count > comparisonLimit) return [];
  index.comparisons += count;
  const candidates = buckets.flat();
  const found = suggest(word, candidates, 3, maxDistance);
  index.answers.set(word, found);
  return found;
}

function indexOf(lists: ReadonlyMap<string, unknown>): NameIndex {
  let index = indexes.get(lists);
  if (index === undefined) {
    const byLength = new Map<number, string[]>();
    for (const name of lists.keys()) {
      const bucket = byLength.get(name.length);
      if (bucket === undefined) byLength.set(name.length, [name]);
      else bucket.push(name);
    }
    index = { byLength, answers: new Map(), comparisons: 0 };
    indexes.set(lists, index);
  }
  return index;
}
