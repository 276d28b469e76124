/** Numbers for text formats: at most `digits` decimals, no trailing zeros, no exponent, never "-0". */
export function fixed(v: number, digits = 3): string {
  const s = v.toFixed(digits);
  if (s.indexOf('.') < 0) return s === '-0' ? '0' : s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  const t = s.slice(0, end);
  return t === '-0' ? '0' : t;
}

/** Latin-1 text to bytes (the writers produce ASCII, plus the PDF's binary marker comment). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 255;
  return out;
}

/** UTF-8 bytes of a string (the engine has no TextEncoder in its type library; SVG text is mostly ASCII). */
export function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
