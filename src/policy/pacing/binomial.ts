// The upper tail of a binomial distribution: how likely more of N ringing calls are answered than there are
// agents to take them. Exact by recurrence; N stays small (calls a campaign has in flight).

/** P(X > k) for X ~ Binomial(n, p). */
export const binomialTailAbove = (n: number, p: number, k: number): number => {
  if (k < 0) return 1
  if (k >= n || p <= 0) return 0
  if (p >= 1) return 1
  // P(X = 0) = (1-p)^n, then P(X = i+1) = P(X = i) · (n-i)/(i+1) · p/(1-p); sum the lower part.
  let term = (1 - p) ** n
  let lower = term
  for (let i = 0; i < k; i++) {
    term *= ((n - i) / (i + 1)) * (p / (1 - p))
    lower += term
  }
  return Math.max(0, 1 - lower)
}

/** The largest N (≤ limit) with P(Binomial(N, p) > capacity) ≤ risk. */
export const largestSafeDials = (p: number, capacity: number, risk: number, limit: number): number => {
  let n = Math.max(0, Math.floor(capacity))
  while (n < limit && binomialTailAbove(n + 1, p, Math.floor(capacity)) <= risk) n++
  return Math.min(n, limit)
}
