/**
 * The pixel-corner lattice, shared by every stage that walks pixel boundaries (contours, the cutout mosaic,
 * sub-pixel edge placement). Point (x, y) is the top-left corner of pixel (x, y); y points down. A unit
 * edge leaves a corner in one of four directions; walking it, the traced region is on the right.
 *
 * Per direction d (0 east, 1 south, 2 west, 3 north), for the unit edge leaving corner (x, y):
 * - (DX[d], DY[d]): the step to the next corner;
 * - (RIGHT_X[d], RIGHT_Y[d]): offset from (x, y) to the pixel on the right (inside the region);
 * - (LEFT_X[d], LEFT_Y[d]): offset to the pixel on the left (outside);
 * - the outward normal, from the right pixel to the left one, is (LEFT_X − RIGHT_X, LEFT_Y − RIGHT_Y),
 *   i.e. (DY[d], −DX[d]).
 */
export const DX: readonly number[] = [1, 0, -1, 0];
export const DY: readonly number[] = [0, 1, 0, -1];
export const RIGHT_X: readonly number[] = [0, -1, -1, 0];
export const RIGHT_Y: readonly number[] = [0, 0, -1, -1];
export const LEFT_X: readonly number[] = [0, 0, -1, -1];
export const LEFT_Y: readonly number[] = [-1, 0, 0, -1];

/** Direction of the axis-aligned step (dx, dy) with one non-zero component. */
export function directionOf(dx: number, dy: number): number {
  return dx > 0 ? 0 : dy > 0 ? 1 : dx < 0 ? 2 : 3;
}

/**
 * Which way a boundary walk turns at a corner, given whether the two pixels ahead (front-left, front-right
 * in the walking direction) are inside: left when both are, straight when only the right one is, right
 * otherwise (which also keeps diagonal neighbours apart: 4-connectivity).
 */
export function nextDirection(d: number, frontLeftIn: boolean, frontRightIn: boolean): number {
  return frontRightIn ? (frontLeftIn ? (d + 3) & 3 : d) : (d + 1) & 3;
}
