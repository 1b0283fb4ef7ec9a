/**
 * Plain ASCII (most chat) needs no Unicode normalisation and has only A-Z / a-z as letters:
 * the text analysers take a cheaper path for it.
 */
const NON_ASCII = /[^\x00-\x7f]/;

export function isPlainAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}
