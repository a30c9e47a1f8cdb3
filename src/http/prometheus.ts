// Effect metric snapshots written in the Prometheus text exposition format (version 0.0.4).
import { Option } from "effect"
import type * as MetricPair from "effect/MetricPair"
import * as MetricState from "effect/MetricState"

const metricName = (name: string) => name.replace(/[^a-zA-Z0-9_:]/g, "_")
const escapeLabel = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')
const labels = (pairs: ReadonlyArray<readonly [string, string]>) =>
  pairs.length === 0 ? "" : `{${pairs.map(([k, v]) => `${metricName(k)}="${escapeLabel(v)}"`).join(",")}}`
const num = (n: number | bigint) =>
  typeof n === "bigint"
    ? n.toString()
    : Number.isFinite(n)
      ? String(n)
      : n > 0
        ? "+Inf"
        : n < 0
          ? "-Inf"
          : "NaN"

export const toPrometheusText = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>): string => {
  const families = new Map<string, { type: string; help: string; lines: Array<string> }>()
  const family = (name: string, type: string, help: Option.Option<string>) => {
    let entry = families.get(name)
    if (entry === undefined) {
      entry = { type, help: Option.getOrElse(help, () => name), lines: [] }
      families.set(name, entry)
    }
    return entry
  }
  for (const { metricKey, metricState } of pairs) {
    const name = metricName(metricKey.name)
    const tags = metricKey.tags.map((t) => [t.key, t.value] as const)
    if (MetricState.isCounterState(metricState)) {
      family(name, "counter", metricKey.description).lines.push(
        `${name}${labels(tags)} ${num(metricState.count)}`,
      )
    } else if (MetricState.isGaugeState(metricState)) {
      family(name, "gauge", metricKey.description).lines.push(
        `${name}${labels(tags)} ${num(metricState.value)}`,
      )
    } else if (MetricState.isHistogramState(metricState)) {
      const f = family(name, "histogram", metricKey.description)
      for (const [boundary, count] of metricState.buckets) {
        f.lines.push(`${name}_bucket${labels([...tags, ["le", num(boundary)]])} ${count}`)
      }
      // Effect's boundaries end with Infinity already; Prometheus requires that bucket.
      if (metricState.buckets.at(-1)?.[0] !== Number.POSITIVE_INFINITY) {
        f.lines.push(`${name}_bucket${labels([...tags, ["le", "+Inf"]])} ${metricState.count}`)
      }
      f.lines.push(`${name}_sum${labels(tags)} ${num(metricState.sum)}`)
      f.lines.push(`${name}_count${labels(tags)} ${metricState.count}`)
    } else if (MetricState.isFrequencyState(metricState)) {
      const f = family(name, "counter", metricKey.description)
      for (const [value, count] of metricState.occurrences) {
        f.lines.push(`${name}${labels([...tags, ["value", value]])} ${count}`)
      }
    } else if (MetricState.isSummaryState(metricState)) {
      const f = family(name, "summary", metricKey.description)
      for (const [quantile, value] of metricState.quantiles) {
        f.lines.push(
          `${name}${labels([...tags, ["quantile", String(quantile)]])} ${Option.match(value, { onNone: () => "NaN", onSome: num })}`,
        )
      }
      f.lines.push(`${name}_sum${labels(tags)} ${num(metricState.sum)}`)
      f.lines.push(`${name}_count${labels(tags)} ${metricState.count}`)
    }
  }
  return [...families.entries()]
    .map(([name, f]) => [`# HELP ${name} ${f.help}`, `# TYPE ${name} ${f.type}`, ...f.lines].join("\n"))
    .join("\n")
    .concat("\n")
}
