/**
 * Colour edits made on the result, without re-tracing: a map from a traced fill to the colour the designer
 * chose (recolouring one swatch, or merging several into one). Applied to the SVG text itself, so the preview,
 * the download and the copy all show the same thing.
 */
export type Recolour = ReadonlyMap<string, string>;

const FILL = /fill="(#[0-9a-fA-F]{6})"/g;

export function applyRecolour(svg: string, map: Recolour): string {
  if (map.size === 0) return svg;
  return svg.replace(FILL, (whole, colour: string) => {
    const to = map.get(colour.toLowerCase());
    return to ? `fill="${to}"` : whole;
  });
}

/** The fills of an SVG with the number of shapes (subpaths) and paths of each, most shapes first. */
export interface FillUse { colour: string; shapes: number; paths: number }

export function fillUses(root: ParentNode): FillUse[] {
  const uses = new Map<string, FillUse>();
  for (const path of root.querySelectorAll('path')) {
    const colour = (path.closest('[fill]')?.getAttribute('fill') ?? '#000000').toLowerCase();
    const use = uses.get(colour) ?? { colour, shapes: 0, paths: 0 };
    use.paths += 1;
    use.shapes += (path.getAttribute('d')?.match(/[Mm]/g) ?? []).length;
    uses.set(colour, use);
  }
  return [...uses.values()].sort((a, b) => b.shapes - a.shapes || a.colour.localeCompare(b.colour));
}

/** A GIMP palette (.gpl), which Inkscape, Krita and GIMP read. */
export function gimpPalette(name: string, colours: readonly string[]): string {
  const lines = colours.map((c) => {
    const n = parseInt(c.slice(1), 16);
    const rgb = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => String(v).padStart(3, ' ')).join(' ');
    return `${rgb}\t${c}`;
  });
  return `GIMP Palette\nName: ${name}\nColumns: 8\n#\n${lines.join('\n')}\n`;
}
