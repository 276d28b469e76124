/** An RGBA image: 4 bytes per pixel, row-major, straight (not premultiplied) alpha. */
export interface RgbaImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** What a trace produced, for callers that want more than the SVG text (the web page, the service). */
export interface TraceResult {
  svg: string;
  width: number;
  height: number;
  /** Number of `<path>` elements written. */
  pathCount: number;
}
