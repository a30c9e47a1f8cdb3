// GET /stats/series's buckets as the four charts draw them: one time axis, and per chart its lines' values.
export type Period = "24h" | "7d" | "30d"

interface Rated {
  readonly total: number
  readonly answered: number
  readonly answerRate: number | null
}

export interface StatsBucket {
  readonly start: string
  readonly calls: Rated
  readonly nerveCalls: Rated
  readonly vendor: {
    readonly calls: number
    readonly accepted: number
    readonly rejected: number
    readonly noAnswer: number
    readonly acceptanceRate: number | null
  }
  readonly cqa: {
    readonly analyses: number
    readonly averageSentiment: number | null
    readonly compliancePassRate: number | null
  }
}

export interface StatsSeries {
  readonly period: Period
  readonly bucket: "hour" | "day"
  readonly timezone: string
  readonly buckets: ReadonlyArray<StatsBucket>
}

/** Which y axis a line is read against: counts, percentages, or the sentiment score (which may be negative). */
export type Scale = "count" | "percent" | "score"

export interface Line {
  readonly label: string
  /** A custom property of style.css, so a line keeps its contrast in the light and the dark scheme. */
  readonly color: string
  readonly scale: Scale
  /** null: nothing to measure in that bucket (a rate of no calls); the line breaks there. */
  readonly values: ReadonlyArray<number | null>
}

export interface ChartSpec {
  readonly id: string
  readonly title: string
  /** What the period added up to, in words: a reader of the page need not read the canvas. */
  readonly summary: string
  readonly lines: ReadonlyArray<Line>
}

const pct = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10)
const sum = (buckets: ReadonlyArray<StatsBucket>, f: (b: StatsBucket) => number) =>
  buckets.reduce((n, b) => n + f(b), 0)
const share = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((part / whole) * 100)}%`)

/** Seconds since the epoch, as uPlot's time axis takes them. */
export const timesOf = (series: StatsSeries) => series.buckets.map((b) => Date.parse(b.start) / 1000)

export const chartsOf = (series: StatsSeries): ReadonlyArray<ChartSpec> => {
  const b = series.buckets
  const calls = sum(b, (x) => x.calls.total)
  const nerve = sum(b, (x) => x.nerveCalls.total)
  const accepted = sum(b, (x) => x.vendor.accepted)
  const decided = sum(b, (x) => x.vendor.accepted + x.vendor.rejected + x.vendor.noAnswer)
  const analyses = sum(b, (x) => x.cqa.analyses)
  return [
    {
      id: "volume",
      title: "Call volume",
      summary: `${calls} calls and ${nerve} Nerve calls`,
      lines: [
        { label: "Calls", color: "--chart-1", scale: "count", values: b.map((x) => x.calls.total) },
        {
          label: "Nerve calls",
          color: "--chart-2",
          scale: "count",
          values: b.map((x) => x.nerveCalls.total),
        },
      ],
    },
    {
      id: "answer-rate",
      title: "Answer rate",
      summary: `calls ${share(
        sum(b, (x) => x.calls.answered),
        calls,
      )}, Nerve calls ${share(
        sum(b, (x) => x.nerveCalls.answered),
        nerve,
      )}`,
      lines: [
        {
          label: "Calls %",
          color: "--chart-1",
          scale: "percent",
          values: b.map((x) => pct(x.calls.answerRate)),
        },
        {
          label: "Nerve calls %",
          color: "--chart-2",
          scale: "percent",
          values: b.map((x) => pct(x.nerveCalls.answerRate)),
        },
      ],
    },
    {
      id: "vendor",
      title: "Vendor acceptance",
      summary: `${accepted} of ${decided} vendor confirmations accepted (${share(accepted, decided)})`,
      lines: [
        { label: "Accepted", color: "--chart-3", scale: "count", values: b.map((x) => x.vendor.accepted) },
        { label: "Rejected", color: "--chart-4", scale: "count", values: b.map((x) => x.vendor.rejected) },
        { label: "No answer", color: "--chart-2", scale: "count", values: b.map((x) => x.vendor.noAnswer) },
      ],
    },
    {
      id: "cqa",
      title: "Call quality (CQA)",
      summary: `${analyses} analyses`,
      lines: [
        {
          label: "Mean sentiment",
          color: "--chart-1",
          scale: "score",
          values: b.map((x) => x.cqa.averageSentiment),
        },
        {
          label: "Compliance passed %",
          color: "--chart-3",
          scale: "percent",
          values: b.map((x) => pct(x.cqa.compliancePassRate)),
        },
      ],
    },
  ]
}

/** Points a chart draws off its floor: what a test (or a reader) checks to know the chart shows something. */
export const pointsShown = (spec: ChartSpec) =>
  spec.lines.reduce((n, line) => n + line.values.filter((v) => v !== null && v !== 0).length, 0)
