/**
 * Whole-shape primitive: does a closed outline of sub-pixel samples draw an ellipse (a circle included)?
 *
 * The direct least-squares ellipse fit (Fitzgibbon, Pilu and Fisher, 1999, in the numerically stable form of
 * Halíř and Flusser, 1998) always returns an ellipse; the outline is one when every sample lies within a
 * tolerance of it (Sampson's first-order distance). A round dot, an eye or a ring is then written as two
 * elliptic arcs instead of a chain of cubics: exact, symmetric and short.
 */

export interface Ellipse {
  cx: number;
  cy: number;
  /** Semi-axes (px): `rx` along the direction `angle` (radians), `ry` across it. */
  rx: number;
  ry: number;
  angle: number;
  /** Largest distance (px) of a sample from the ellipse, to first order. */
  maxError: number;
}

// Scratch for the normal equations (the fit is synchronous and not re-entrant).
const SCRATCH_S1 = new Float64Array(9);
const SCRATCH_S2 = new Float64Array(9);
const SCRATCH_S3 = new Float64Array(9);
const SCRATCH_D1 = new Float64Array(3);
const SCRATCH_D2 = new Float64Array(3);

/** Fewest samples for a fit to mean anything (a dot of a pixel or two is left as a polygon). */
const MIN_SAMPLES = 10;

/**
 * Fits an ellipse to samples 0..n−1 of `pts` (x, y pairs); null when the samples are degenerate or their best
 * conic is not an ellipse. The caller decides from `maxError` whether the outline is the ellipse.
 */
export function fitEllipse(pts: Float64Array, n: number, stride = 1): Ellipse | null {
  if (n < MIN_SAMPLES * stride) return null;
  // With a stride, only every stride-th sample is used: a quick look that rejects most outlines cheaply.
  const m = Math.floor(n / stride);
  // Centre and scale the data: the normal equations hold fourth powers of the coordinates.
  let mx = 0, my = 0;
  for (let i = 0; i < m; i++) { mx += pts[2 * stride * i]; my += pts[2 * stride * i + 1]; }
  mx /= m; my /= m;
  let spread = 0;
  for (let i = 0; i < m; i++) spread += Math.abs(pts[2 * stride * i] - mx) + Math.abs(pts[2 * stride * i + 1] - my);
  const s = spread / (2 * m) || 1;
  // Scatter matrices of D1 = [x², xy, y²] and D2 = [x, y, 1]: S1 = D1ᵀD1, S2 = D1ᵀD2, S3 = D2ᵀD2 (row-major 3×3).
  const S1 = SCRATCH_S1.fill(0), S2 = SCRATCH_S2.fill(0), S3 = SCRATCH_S3.fill(0);
  const d1 = SCRATCH_D1, d2 = SCRATCH_D2;
  for (let i = 0; i < m; i++) {
    const x = (pts[2 * stride * i] - mx) / s, y = (pts[2 * stride * i + 1] - my) / s;
    d1[0] = x * x; d1[1] = x * y; d1[2] = y * y;
    d2[0] = x; d2[1] = y; d2[2] = 1;
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        S1[3 * r + c] += d1[r] * d1[c];
        S2[3 * r + c] += d1[r] * d2[c];
        S3[3 * r + c] += d2[r] * d2[c];
      }
    }
  }
  const S3inv = invert3(S3);
  if (!S3inv) return null;
  // T = −S3⁻¹ S2ᵀ; M = S1 + S2 T; then M ← C1⁻¹ M with C1 the constraint 4ac − b² = 1 on (a, b, c).
  const T = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let v = 0;
      for (let k = 0; k < 3; k++) v += S3inv[3 * r + k] * S2[3 * c + k];
      T[3 * r + c] = -v;
    }
  }
  const M = new Float64Array(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      let v = S1[3 * r + c];
      for (let k = 0; k < 3; k++) v += S2[3 * r + k] * T[3 * k + c];
      M[3 * r + c] = v;
    }
  }
  const C = new Float64Array(9);
  for (let c = 0; c < 3; c++) {
    C[c] = M[6 + c] / 2;
    C[3 + c] = -M[3 + c];
    C[6 + c] = M[c] / 2;
  }
  const a1 = ellipticEigenvector(C);
  if (!a1) return null;
  // The conic A x² + B xy + C y² + D x + E y + F = 0 in the scaled frame.
  const A = a1[0], B = a1[1], Cc = a1[2];
  const D = T[0] * A + T[1] * B + T[2] * Cc;
  const E = T[3] * A + T[4] * B + T[5] * Cc;
  const F = T[6] * A + T[7] * B + T[8] * Cc;
  const det = 4 * A * Cc - B * B;
  if (det <= 0) return null;
  const ux = (B * E - 2 * Cc * D) / det, uy = (B * D - 2 * A * E) / det;
  const F0 = A * ux * ux + B * ux * uy + Cc * uy * uy + D * ux + E * uy + F;
  const angle = 0.5 * Math.atan2(B, A - Cc);
  const co = Math.cos(angle), si = Math.sin(angle);
  const Ap = A * co * co + B * co * si + Cc * si * si;
  const Cp = A * si * si - B * co * si + Cc * co * co;
  if (!(-F0 / Ap > 0) || !(-F0 / Cp > 0)) return null;
  const rx = Math.sqrt(-F0 / Ap) * s, ry = Math.sqrt(-F0 / Cp) * s;
  const cx = ux * s + mx, cy = uy * s + my;
  // The algebraic fit runs small on noisy samples: grow both axes by the mean signed distance, then measure.
  const bias = sampsonDistances(pts, m, stride, cx, cy, rx, ry, co, si, false);
  const rx2 = rx + bias, ry2 = ry + bias;
  if (!(rx2 > 0 && ry2 > 0)) return null;
  const maxError = sampsonDistances(pts, m, stride, cx, cy, rx2, ry2, co, si, true);
  return { cx, cy, rx: rx2, ry: ry2, angle, maxError };
}

/**
 * First-order (Sampson) distances of n samples (every stride-th) from an ellipse, positive outside: their mean, or with
 * `max` the largest absolute one.
 */
function sampsonDistances(pts: Float64Array, n: number, stride: number, cx: number, cy: number, rx: number, ry: number, co: number, si: number, max: boolean): number {
  let sum = 0, worst = 0;
  for (let i = 0; i < n; i++) {
    const dx = pts[2 * stride * i] - cx, dy = pts[2 * stride * i + 1] - cy;
    const u = (dx * co + dy * si) / rx, v = (-dx * si + dy * co) / ry;
    const value = u * u + v * v - 1;
    const gu = u / rx, gv = v / ry;
    const grad = 2 * Math.sqrt(gu * gu + gv * gv);
    const e = grad > 0 ? value / grad : Infinity;
    sum += e;
    if (Math.abs(e) > worst) worst = Math.abs(e);
  }
  return max ? worst : sum / n;
}

/** Inverse of a row-major 3×3 matrix, or null when singular. */
function invert3(m: Float64Array): Float64Array | null {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) return null;
  const r = new Float64Array(9);
  r[0] = A / det; r[1] = -(b * i - c * h) / det; r[2] = (b * f - c * e) / det;
  r[3] = B / det; r[4] = (a * i - c * g) / det; r[5] = -(a * f - c * d) / det;
  r[6] = C / det; r[7] = -(a * h - b * g) / det; r[8] = (a * e - b * d) / det;
  return r;
}

/**
 * The eigenvector (a, b, c) of the 3×3 matrix m whose conic is an ellipse (4ac − b² > 0), from the real
 * roots of the characteristic cubic; null when there is none.
 */
function ellipticEigenvector(m: Float64Array): Float64Array | null {
  // Characteristic polynomial λ³ + p2 λ² + p1 λ + p0.
  const tr = m[0] + m[4] + m[8];
  const minors = m[0] * m[4] - m[1] * m[3] + m[0] * m[8] - m[2] * m[6] + m[4] * m[8] - m[5] * m[7];
  const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const roots = realCubicRoots(-tr, minors, -det);
  let best: Float64Array | null = null;
  let bestCond = 0;
  for (const lambda of roots) {
    const v = nullVector(m, lambda);
    if (!v) continue;
    const cond = 4 * v[0] * v[2] - v[1] * v[1];
    if (cond > bestCond) { bestCond = cond; best = v; }
  }
  return best;
}

/** A vector spanning the null space of (m − λI): the largest cross product of two of its rows. */
function nullVector(m: Float64Array, lambda: number): Float64Array | null {
  const r0 = [m[0] - lambda, m[1], m[2]], r1 = [m[3], m[4] - lambda, m[5]], r2 = [m[6], m[7], m[8] - lambda];
  let best: number[] | null = null, bestNorm = 0;
  for (const [p, q] of [[r0, r1], [r0, r2], [r1, r2]] as const) {
    const v = [p[1] * q[2] - p[2] * q[1], p[2] * q[0] - p[0] * q[2], p[0] * q[1] - p[1] * q[0]];
    const norm = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    if (norm > bestNorm) { bestNorm = norm; best = v; }
  }
  if (!best || bestNorm === 0) return null;
  const l = Math.sqrt(bestNorm);
  return Float64Array.of(best[0] / l, best[1] / l, best[2] / l);
}

/** Real roots of x³ + a x² + b x + c (trigonometric form when three, Cardano when one). */
function realCubicRoots(a: number, b: number, c: number): number[] {
  const q = (a * a - 3 * b) / 9;
  const r = (2 * a * a * a - 9 * a * b + 27 * c) / 54;
  const q3 = q * q * q;
  if (r * r < q3) {
    const t = Math.acos(Math.max(-1, Math.min(1, r / Math.sqrt(q3))));
    const sq = -2 * Math.sqrt(q);
    return [sq * Math.cos(t / 3) - a / 3, sq * Math.cos((t + 2 * Math.PI) / 3) - a / 3, sq * Math.cos((t - 2 * Math.PI) / 3) - a / 3];
  }
  const A = -Math.sign(r) * Math.cbrt(Math.abs(r) + Math.sqrt(r * r - q3));
  const B = A !== 0 ? q / A : 0;
  return [A + B - a / 3];
}

/**
 * The ellipse of a shape's area, centroid (cx, cy) and central second moments per unit area (sxx, syy, sxy):
 * a uniform ellipse of semi-axes a, b has moments a²/4 and b²/4 along its axes; the semi-axes are then scaled
 * so that the ellipse covers the area. `maxError` is 0 (see sampleError). Null when degenerate.
 */
export function ellipseOfMoments(area: number, cx: number, cy: number, sxx: number, syy: number, sxy: number): Ellipse | null {
  const mean = (sxx + syy) / 2, dev = Math.hypot((sxx - syy) / 2, sxy);
  const l1 = mean + dev, l2 = mean - dev;
  if (!(l2 > 0) || !(area > 0)) return null;
  const angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
  let rx = 2 * Math.sqrt(l1), ry = 2 * Math.sqrt(l2);
  const scale = Math.sqrt(area / (Math.PI * rx * ry));
  rx *= scale;
  ry *= scale;
  return { cx, cy, rx, ry, angle, maxError: 0 };
}

/** The largest distance of samples 0..n−1 from ellipse e, measured along the ray from its centre. */
export function sampleError(e: Ellipse, pts: Float64Array, n: number): number {
  const cos = Math.cos(e.angle), sin = Math.sin(e.angle);
  let maxError = 0;
  for (let i = 0; i < n; i++) {
    const dx = pts[2 * i] - e.cx, dy = pts[2 * i + 1] - e.cy;
    const u = dx * cos + dy * sin, v = -dx * sin + dy * cos;
    const d = Math.hypot(u, v);
    const r = d > 0 ? 1 / Math.hypot(u / (d * e.rx), v / (d * e.ry)) : 0;
    maxError = Math.max(maxError, Math.abs(d - r));
  }
  return maxError;
}

/**
 * The ellipse of a closed polygon's area and second moments (ellipseOfMoments): for a dot of a pixel or two,
 * whose few samples (under MIN_SAMPLES) no fit can test. `maxError` as sampleError. Null when degenerate.
 */
export function momentEllipse(pts: Float64Array, n: number): Ellipse | null {
  let a2 = 0, cx = 0, cy = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const x0 = pts[2 * i], y0 = pts[2 * i + 1], x1 = pts[2 * j], y1 = pts[2 * j + 1];
    const k = x0 * y1 - x1 * y0;
    a2 += k;
    cx += (x0 + x1) * k;
    cy += (y0 + y1) * k;
  }
  if (Math.abs(a2) < 1e-9) return null;
  cx /= 3 * a2;
  cy /= 3 * a2;
  // Second moments about the centroid (polygon formulas, on coordinates relative to it).
  let sxx = 0, syy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const x0 = pts[2 * i] - cx, y0 = pts[2 * i + 1] - cy, x1 = pts[2 * j] - cx, y1 = pts[2 * j + 1] - cy;
    const k = x0 * y1 - x1 * y0;
    sxx += (x0 * x0 + x0 * x1 + x1 * x1) * k;
    syy += (y0 * y0 + y0 * y1 + y1 * y1) * k;
    sxy += (x0 * y1 + 2 * x0 * y0 + 2 * x1 * y1 + x1 * y0) * k;
  }
  const area = a2 / 2;
  const e = ellipseOfMoments(Math.abs(area), cx, cy, sxx / (12 * area), syy / (12 * area), sxy / (24 * area));
  if (e) e.maxError = sampleError(e, pts, n);
  return e;
}
