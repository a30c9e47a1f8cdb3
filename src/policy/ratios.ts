// The stats endpoints' rates: a share to three decimals, and none at all when nothing was counted.
export const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000

export const rounded = (n: number | null, places = 3) =>
  n === null ? null : Math.round(n * 10 ** places) / 10 ** places
