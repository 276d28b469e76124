/**
 * The linear solve of a Gauss–Newton step: the normal equations (JᵀJ, damped) are symmetric positive definite,
 * so a Cholesky factorisation solves them (relax.ts's joints, rounded-rect.ts's shape parameters).
 */

/**
 * Solves a·x = rhs for n unknowns, a symmetric positive definite (row stride `stride`; its diagonal and lower
 * triangle are read, and overwritten by the factor). `x` may be `rhs`. False when a is not positive definite.
 */
export function choleskySolve(a: Float64Array, stride: number, n: number, rhs: Float64Array, x: Float64Array): boolean {
  for (let p = 0; p < n; p++) {
    let d = a[p * stride + p];
    for (let k = 0; k < p; k++) d -= a[p * stride + k] * a[p * stride + k];
    if (!(d > 1e-18)) return false;
    d = Math.sqrt(d);
    a[p * stride + p] = d;
    for (let r = p + 1; r < n; r++) {
      let v = a[r * stride + p];
      for (let k = 0; k < p; k++) v -= a[r * stride + k] * a[p * stride + k];
      a[r * stride + p] = v / d;
    }
  }
  for (let p = 0; p < n; p++) {
    let v = rhs[p];
    for (let k = 0; k < p; k++) v -= a[p * stride + k] * x[k];
    x[p] = v / a[p * stride + p];
  }
  for (let p = n - 1; p >= 0; p--) {
    let v = x[p];
    for (let k = p + 1; k < n; k++) v -= a[k * stride + p] * x[k];
    x[p] = v / a[p * stride + p];
  }
  return true;
}
