/**
 * Export of a traced SVG in any output format: the vector formats through the engine's pure writers, PNG
 * rendered from the SVG by sharp (librsvg) at the SVG's size, i.e. the image size times the `scale` option.
 */
import sharp from 'sharp';
import { exportVector, isOutputFormat, OUTPUT_FORMATS, type OutputFormat } from '../engine/formats/index.js';

/** The file bytes of `svg` in `format`. */
export async function exportImage(svg: string, format: OutputFormat): Promise<Uint8Array> {
  if (!isOutputFormat(format)) {
    throw new TypeError(`format must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  if (format !== 'png') return exportVector(svg, format);
  // The SVG's width and height are in pixels; librsvg renders them 1:1 at 72 dpi. No pixel limit: the
  // size was chosen by the trace (image × scale), not by an untrusted file.
  const png = await sharp(Buffer.from(svg, 'utf8'), { density: 72, limitInputPixels: false }).png().toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
