// The period's charts (24 h per hour, 7 d and 30 d per day): call volume, answer rate, vendor acceptance and CQA
// scores, from GET /stats/series. Read when the view opens, when the period changes, and on Refresh.
import { useEffect, useMemo, useState } from "preact/hooks"
import { call, messageOf } from "./api.js"
import { Chart } from "./Chart.js"
import { chartsOf, type Period, type StatsSeries, timesOf } from "./chartSeries.js"

const periods: ReadonlyArray<{ readonly period: Period; readonly label: string }> = [
  { period: "24h", label: "24 h" },
  { period: "7d", label: "7 d" },
  { period: "30d", label: "30 d" },
]

export const Charts = ({ token }: { token: string }) => {
  const [period, setPeriod] = useState<Period>("24h")
  const [series, setSeries] = useState<StatsSeries | null>(null)
  const [error, setError] = useState<string | null>(null)
  const load = async (which: Period) => {
    const answer = await call(token, "GET", `/stats/series?period=${which}`)
    if (answer.status !== 200) return setError(messageOf(answer))
    setError(null)
    setSeries(answer.body as StatsSeries)
  }
  useEffect(() => {
    void load(period)
  }, [token, period])
  const charts = useMemo(() => (series === null ? [] : chartsOf(series)), [series])
  const times = useMemo(() => (series === null ? [] : timesOf(series)), [series])
  return (
    <section aria-labelledby="charts-title">
      <h2 id="charts-title">Charts</h2>
      <fieldset class="actions period">
        <legend class="visually-hidden">Period</legend>
        {periods.map(({ period: p, label }) => (
          <button
            type="button"
            key={p}
            class={p === period ? "tab selected" : "tab"}
            aria-pressed={p === period}
            onClick={() => setPeriod(p)}
          >
            {label}
          </button>
        ))}
        <button type="button" onClick={() => void load(period)}>
          Refresh
        </button>
      </fieldset>
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {series === null ? (
        <p class="empty">Loading…</p>
      ) : (
        <div class="charts" data-period={series.period}>
          {charts.map((spec) => (
            <Chart key={spec.id} spec={spec} times={times} timezone={series.timezone} />
          ))}
        </div>
      )}
      {series !== null && (
        <p class="hint">
          {series.bucket === "hour" ? "Hours" : "Days"} on the {series.timezone} clock; the last one is still
          running.
        </p>
      )}
    </section>
  )
}
