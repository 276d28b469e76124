/**
 * Display names of assets and uploads, from what clients send (`fileName`, `name`): stored sanitised, shown
 * as they are stored, and never used to build a path (files are stored under ids). Sanitising keeps the last
 * segment of anything path-like, drops control characters (NUL, CR/LF…), bidirectional overrides and
 * invisible formatting, and the characters that mean something in markup or in file names on some systems.
 */

/** C0/C1 controls, DEL, bidi embeddings/overrides/isolates and marks, zero-width and other format characters. */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;
const RESERVED = /[<>:"|?*&'`]/g;

export const MAX_NAME_LENGTH = 200;

export function displayName(raw: string, fallback = 'image'): string {
  let name = raw.normalize('NFC').replace(INVISIBLE, '');
  name = name.split(/[\\/]/).filter((s) => s.length > 0).at(-1) ?? '';
  name = name.replace(RESERVED, '_').replace(/\s+/g, ' ').trim();
  name = name.replace(/^\.+/, ''); // no "..", no hidden-file names
  if (name.length > MAX_NAME_LENGTH) name = name.slice(0, MAX_NAME_LENGTH);
  return name.length > 0 ? name : fallback;
}
