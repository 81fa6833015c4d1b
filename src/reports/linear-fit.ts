/**
 * Ordinary least squares of y on x: the line minimizing Σ (y − (a + b·x))². Chosen over robust fits
 * (Theil–Sen) because it is linear in y: the slopes of parts add up to the slope of their sum, so
 * per-pattern growth rates add up exactly to the total's and "share of growth" is exact. A bad fit
 * is not hidden: R² and the residual RMS say how straight the series is.
 */
export interface LinearFit {
  /** Points used. */
  n: number;
  slope: number;
  intercept: number;
  /** 1 − SS_res / SS_tot; null when y does not vary (nothing to explain). */
  r2: number | null;
  /** √(SS_res / n), in y's unit. */
  residualRms: number;
  at(x: number): number;
}

export function linearFit(xs: ArrayLike<number>, ys: ArrayLike<number>): LinearFit {
  const n = xs.length;
  if (n !== ys.length || n < 2) throw new RangeError(`linearFit needs two or more (x, y) pairs, got ${n} and ${ys.length}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError('linearFit needs two or more distinct x');
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let ssRes = 0;
  for (let i = 0; i < n; i++) {
    const r = ys[i]! - (intercept + slope * xs[i]!);
    ssRes += r * r;
  }
  return {
    n, slope, intercept,
    r2: syy === 0 ? null : Math.max(0, 1 - ssRes / syy),
    residualRms: Math.sqrt(ssRes / n),
    at: (x: number) => intercept + slope * x,
  };
}

/** Where the line reaches `y` after `fromX`: null when it never does going forward (flat or falling). */
export function reachesAt(fit: LinearFit, y: number, fromX: number): number | null {
  if (fit.at(fromX) >= y) return fromX;
  if (fit.slope <= 0) return null;
  return (y - fit.intercept) / fit.slope;
}
