/** Byte-level string helpers: libsinsp compares raw bytes and folds ASCII case only. */

/** `strcmp` order of the UTF-8 bytes. UTF-16 order agrees except around surrogates. */
export function compareBytes(a: string, b: string): number {
  if (/[\ud800-\uffff]/.test(a) || /[\ud800-\uffff]/.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Lower-cases A-Z only, as `tolower` does in the C locale. */
export function asciiLower(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : text;
}

/** Upper-cases a-z only. */
export function asciiUpper(text: string): string {
  return /[a-z]/.test(text) ? text.replace(/[a-z]+/g, (run) => run.toUpperCase()) : text;
}

/** A read-only Buffer view of bytes, for indexOf/equals without copying. */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
