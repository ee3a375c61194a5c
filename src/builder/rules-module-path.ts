/** Whether a path names a TypeScript rules module rather than a `.falx` file. */
export function isRulesModule(path: string): boolean {
  return /\.m?ts$/.test(path);
}
