// The benchmarks' results: the rows each benchmark reports, the file that keeps every benchmark's last run
// (bench/results.json), and the one Markdown table made from it (bench/results.md, docs/benchmarks.md, stdout).
import { cpus } from "node:os"
import { Schema } from "effect"

/** A bound on the gateway's figure itself (a restart ≤ 2,000 ms) or on its ratio to the baseline (≥ 0.8×). */
export const Target = Schema.Struct({
  of: Schema.Literal("gateway", "ratio"),
  bound: Schema.Literal("atMost", "atLeast"),
  value: Schema.Number,
})
export type Target = typeof Target.Type

/** One figure of one benchmark: the gateway's and the baseline's, measured in the same run; null: none. */
export const Row = Schema.Struct({
  figure: Schema.String,
  unit: Schema.String,
  gateway: Schema.NullOr(Schema.Number),
  baseline: Schema.NullOr(Schema.Number),
  target: Schema.optional(Target),
})
export type Row = typeof Row.Type

export const Machine = Schema.Struct({ cores: Schema.Number, cpu: Schema.String, node: Schema.String })
export type Machine = typeof Machine.Type

/** One benchmark's last run: its rows, where and when they were measured, and the BENCH_* settings it ran with. */
export const Run = Schema.Struct({
  rows: Schema.Array(Row),
  machine: Machine,
  date: Schema.String,
  settings: Schema.Record({ key: Schema.String, value: Schema.String }),
})
export type Run = typeof Run.Type

/** bench/results.json: each benchmark's last run, by the benchmark's name. */
export const Results = Schema.Record({ key: Schema.String, value: Run })
export type Results = typeof Results.Type

export const decodeRun = Schema.decodeUnknownSync(Schema.parseJson(Run))
export const decodeResults = Schema.decodeUnknownSync(Schema.parseJson(Results))

export const thisMachine = (): Machine => ({
  cores: cpus().length,
  cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
  node: process.version,
})

/** The latest run of each named benchmark, in the order given; a benchmark not run now keeps its last run. */
export const merge = (
  order: ReadonlyArray<string>,
  previous: Results,
  latest: Readonly<Record<string, Run>>,
): Results =>
  Object.fromEntries(
    order.flatMap((name) => {
      const run = latest[name] ?? previous[name]
      return run === undefined ? [] : [[name, run]]
    }),
  )

export const ratioOf = (row: Row): number | null =>
  row.gateway === null || row.baseline === null || row.baseline === 0 ? null : row.gateway / row.baseline

/** Whether the row meets its target: undefined when it has none, null when a figure it needs is missing. */
export const targetMet = (row: Row): boolean | null | undefined => {
  if (row.target === undefined) return undefined
  const value = row.target.of === "gateway" ? row.gateway : ratioOf(row)
  if (value === null) return null
  return row.target.bound === "atMost" ? value <= row.target.value : value >= row.target.value
}

const number = (value: number) =>
  new Intl.NumberFormat(
    "en",
    Math.abs(value) >= 100 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 3 },
  ).format(value)

/** Two decimals; whole above 10×; two significant digits far below 1× (a throughput 0.0063× the baseline's). */
const formatRatio = (ratio: number) => {
  const size = Math.abs(ratio)
  const digits = size >= 10 ? ratio.toFixed(0) : size >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)
  return `${digits}×`
}

/** A figure in its unit; milliseconds from a second up read as seconds. */
export const formatFigure = (value: number | null, unit: string) => {
  if (value === null) return "none"
  if (unit === "ms" && Math.abs(value) >= 1000) return `${number(value / 1000)} s`
  return `${number(value)} ${unit}`
}

const formatTarget = (row: Row) => {
  if (row.target === undefined) return "—"
  const sign = row.target.bound === "atMost" ? "≤" : "≥"
  const bound =
    row.target.of === "gateway" ? formatFigure(row.target.value, row.unit) : formatRatio(row.target.value)
  const met = targetMet(row)
  return `${row.target.of === "ratio" ? "ratio " : ""}${sign} ${bound}: ${met === null ? "not measured" : met ? "met" : "missed"}`
}

const formatMachine = (machine: Machine) => `${machine.cores} cores, ${machine.cpu}, Node ${machine.node}`

const formatSettings = (settings: Readonly<Record<string, string>>) => {
  const entries = Object.entries(settings)
  return entries.length === 0 ? "—" : entries.map(([key, value]) => `${key}=${value}`).join(" ")
}

const header = [
  "Benchmark",
  "Figure",
  "Gateway",
  "Baseline",
  "Ratio",
  "Target",
  "Machine",
  "Date",
  "Settings",
]

/** The table's cells, one line a row; `|` escaped and white space made one space, so no name splits a cell. */
const cells = (results: Results): ReadonlyArray<ReadonlyArray<string>> =>
  Object.entries(results).flatMap(([name, run]) =>
    run.rows.map((row) => {
      const ratio = ratioOf(row)
      return [
        name,
        row.figure,
        formatFigure(row.gateway, row.unit),
        row.baseline === null ? "—" : formatFigure(row.baseline, row.unit),
        ratio === null ? "—" : formatRatio(ratio),
        formatTarget(row),
        formatMachine(run.machine),
        run.date,
        formatSettings(run.settings),
      ].map((cell) => cell.replaceAll(/\s+/g, " ").replaceAll("|", "\\|"))
    }),
  )

/** The Markdown table, its columns padded as the docs' formatter lays tables out. */
export const table = (results: Results) => {
  const lines = [header, ...cells(results)]
  const widths = header.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? "").length)))
  const line = (values: ReadonlyArray<string>) =>
    `| ${values.map((value, column) => value.padEnd(widths[column] ?? 0)).join(" | ")} |`
  return [
    line(lines[0] ?? header),
    line(widths.map((width) => "-".repeat(width))),
    ...lines.slice(1).map(line),
  ].join("\n")
}

/** The date of a run, to the minute, in UTC. */
export const runDate = (at: Date) => `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`
