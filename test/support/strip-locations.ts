/** Deep copy of an AST without its `loc` fields, for comparing trees parsed from different text. */
export function stripLocations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripLocations);
  if (node === null || typeof node !== 'object') return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'loc') copy[key] = stripLocations(value);
  }
  return copy;
}
