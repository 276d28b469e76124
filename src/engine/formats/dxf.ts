/**
 * DXF (AutoCAD 2000, AC1015) writer for cutters, plotters and CAD: one entity per subpath, a layer per
 * colour (`FILL_rrggbb`, `STROKE_rrggbb`, true colour in group 420), millimetres at 96 dpi (the SVG's CSS
 * size) with `$INSUNITS` = 4, y pointing up. Straight-sided subpaths become `LWPOLYLINE`s (closed flag for
 * closed ones); subpaths with curves become cubic `SPLINE`s whose control points are the Bézier chain's
 * (knots of multiplicity 3 make the B-spline pass through every segment end: the same curve exactly).
 */
import type { Rgb, VectorDocument } from './document.js';
import { fixed } from './number.js';
import { CUBIC } from './path-data.js';
import { splitSubpaths, type Subpath } from './subpaths.js';

/** Millimetres per CSS pixel. */
export const MM_PER_PX = 25.4 / 96;

function hex(c: Rgb): string {
  return ((1 << 24) | (c.r << 16) | (c.g << 8) | c.b).toString(16).slice(1);
}

function trueColor(c: Rgb): number {
  return (c.r << 16) | (c.g << 8) | c.b;
}

class DxfText {
  private readonly parts: string[] = [];
  private handle = 0x100;

  pair(code: number, value: string | number): void {
    this.parts.push(String(code), typeof value === 'number' ? fixed(value, 4) : value);
  }

  nextHandle(): string {
    return (this.handle++).toString(16).toUpperCase();
  }

  toString(): string {
    return this.parts.join('\n') + '\n';
  }
}

export function writeDxf(doc: VectorDocument): string {
  const kx = (doc.width / doc.viewWidth) * MM_PER_PX, ky = (doc.height / doc.viewHeight) * MM_PER_PX;
  const height = doc.viewHeight;
  const X = (x: number): number => x * kx;
  const Y = (y: number): number => (height - y) * ky;

  const layers = new Map<string, Rgb>();
  const entities: { layer: string; color: Rgb; sub: Subpath; width: number }[] = [];
  for (const shape of doc.shapes) {
    const paint = shape.fill ? { kind: 'FILL', c: shape.fill } : shape.stroke ? { kind: 'STROKE', c: shape.stroke } : null;
    if (paint === null) continue;
    const layer = `${paint.kind}_${hex(paint.c)}`;
    layers.set(layer, paint.c);
    const width = shape.fill ? 0 : shape.strokeWidth * kx;
    for (const sub of splitSubpaths(shape.outline)) entities.push({ layer, color: paint.c, sub, width });
  }

  const t = new DxfText();
  t.pair(0, 'SECTION'); t.pair(2, 'HEADER');
  t.pair(9, '$ACADVER'); t.pair(1, 'AC1015');
  t.pair(9, '$INSUNITS'); t.pair(70, '4');
  t.pair(9, '$MEASUREMENT'); t.pair(70, '1');
  t.pair(9, '$EXTMIN'); t.pair(10, 0); t.pair(20, 0); t.pair(30, 0);
  t.pair(9, '$EXTMAX'); t.pair(10, doc.width * MM_PER_PX); t.pair(20, doc.height * MM_PER_PX); t.pair(30, 0);
  t.pair(0, 'ENDSEC');

  t.pair(0, 'SECTION'); t.pair(2, 'TABLES');
  t.pair(0, 'TABLE'); t.pair(2, 'LAYER'); t.pair(5, t.nextHandle()); t.pair(100, 'AcDbSymbolTable'); t.pair(70, String(layers.size + 1));
  const layer = (name: string, c: Rgb | null): void => {
    t.pair(0, 'LAYER'); t.pair(5, t.nextHandle()); t.pair(100, 'AcDbSymbolTableRecord'); t.pair(100, 'AcDbLayerTableRecord');
    t.pair(2, name); t.pair(70, '0'); t.pair(62, '7'); t.pair(6, 'CONTINUOUS');
    if (c) t.pair(420, String(trueColor(c)));
  };
  layer('0', null);
  for (const [name, c] of layers) layer(name, c);
  t.pair(0, 'ENDTAB');
  t.pair(0, 'ENDSEC');

  t.pair(0, 'SECTION'); t.pair(2, 'ENTITIES');
  for (const e of entities) {
    const { coords, kinds, closed } = e.sub;
    const curved = kinds.includes(CUBIC);
    t.pair(0, curved ? 'SPLINE' : 'LWPOLYLINE');
    t.pair(5, t.nextHandle());
    t.pair(100, 'AcDbEntity');
    t.pair(8, e.layer);
    t.pair(62, '256'); // BYLAYER, with the true colour repeated for readers that ignore layer colours
    t.pair(420, String(trueColor(e.color)));
    if (!curved) {
      // A closed polyline's last vertex would repeat its first: the closed flag draws that edge.
      let n = kinds.length + 1;
      if (closed) n--;
      t.pair(100, 'AcDbPolyline');
      t.pair(90, String(n));
      t.pair(70, closed ? '1' : '0');
      if (e.width > 0) t.pair(43, e.width);
      for (let i = 0; i < n; i++) { t.pair(10, X(coords[2 * i])); t.pair(20, Y(coords[2 * i + 1])); }
      continue;
    }
    // Bézier chain → control points p0 c1 c2 p1 c1 c2 p2 …; a line is the cubic with handles at its thirds.
    const cps: number[] = [coords[0], coords[1]];
    let k = 2;
    for (const kind of kinds) {
      const x0 = cps[cps.length - 2], y0 = cps[cps.length - 1];
      if (kind === CUBIC) { cps.push(...coords.slice(k, k + 6)); k += 6; }
      else {
        const x = coords[k], y = coords[k + 1];
        cps.push(x0 + (x - x0) / 3, y0 + (y - y0) / 3, x0 + 2 * (x - x0) / 3, y0 + 2 * (y - y0) / 3, x, y);
        k += 2;
      }
    }
    const segments = kinds.length;
    t.pair(100, 'AcDbSpline');
    t.pair(210, 0); t.pair(220, 0); t.pair(230, 1);
    t.pair(70, '8'); // planar (not "closed": that would mean a periodic spline; this one ends where it starts)
    t.pair(71, '3');
    t.pair(72, String(3 * segments + 5));
    t.pair(73, String(3 * segments + 1));
    t.pair(74, '0');
    for (let i = 0; i < 4; i++) t.pair(40, '0');
    for (let s = 1; s < segments; s++) for (let i = 0; i < 3; i++) t.pair(40, String(s));
    for (let i = 0; i < 4; i++) t.pair(40, String(segments));
    for (let i = 0; i < cps.length; i += 2) { t.pair(10, X(cps[i])); t.pair(20, Y(cps[i + 1])); t.pair(30, 0); }
  }
  t.pair(0, 'ENDSEC');
  t.pair(0, 'EOF');
  return t.toString();
}
