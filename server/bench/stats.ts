/** Percentiles by nearest rank over a sorted copy; what every figure in the report uses. */
export function summarize(xs: number[]): { n: number; p50: number; p95: number; p99: number; max: number } {
  const s = Float64Array.from(xs).sort();
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN);
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s.length ? s[s.length - 1]! : NaN };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (x: number, digits = 1) => Number(x.toFixed(digits));
