// One uPlot chart of a period: sized to its box (so it fits a phone), coloured from the page's custom properties,
// and drawn again when the box resizes or the system switches between light and dark.
import { useEffect, useRef } from "preact/hooks"
import uPlot from "uplot"
import "uplot/dist/uPlot.min.css"
import { type ChartSpec, pointsShown, type Scale } from "./chartSeries.js"

const height = 200

const wholeSteps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000]

const scaleRange: Record<Scale, uPlot.Scale.Range> = {
  // A count starts at zero and a flat zero line still has an axis above it.
  count: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))],
  percent: [0, 100],
  score: (_u, min, max) => [Math.min(-1, Math.floor(min)), Math.max(1, Math.ceil(max))],
}

const optionsOf = (spec: ChartSpec, width: number, timezone: string): uPlot.Options => {
  const css = getComputedStyle(document.documentElement)
  const color = (name: string) => css.getPropertyValue(name).trim()
  const scales = [...new Set(spec.lines.map((l) => l.scale))]
  const axis = (scale: Scale, side: 1 | 3): uPlot.Axis => ({
    scale,
    side,
    stroke: color("--fg"),
    grid: { stroke: color("--line"), width: 1, show: side === 3 },
    ticks: { stroke: color("--line"), width: 1 },
    size: scale === "percent" ? 52 : 44,
    // Counts are whole: no tick at half a call.
    ...(scale === "count" ? { incrs: wholeSteps } : {}),
    ...(scale === "percent" ? { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => `${t}%`) } : {}),
  })
  return {
    width,
    height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timezone),
    scales: Object.fromEntries([["x", { time: true }], ...scales.map((s) => [s, { range: scaleRange[s] }])]),
    axes: [
      {
        stroke: color("--fg"),
        grid: { stroke: color("--line"), width: 1 },
        ticks: { stroke: color("--line") },
      },
      ...scales.map((s, i) => axis(s, i === 0 ? 3 : 1)),
    ],
    series: [
      {},
      ...spec.lines.map((line) => ({
        label: line.label,
        scale: line.scale,
        stroke: color(line.color),
        width: 2,
        points: { show: true, size: 5, fill: color(line.color) },
      })),
    ],
    cursor: { drag: { x: false, y: false } },
  }
}

export const Chart = ({
  spec,
  times,
  timezone,
}: {
  spec: ChartSpec
  times: ReadonlyArray<number>
  timezone: string
}) => {
  const box = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const element = box.current
    if (element === null) return
    const data: uPlot.AlignedData = [[...times], ...spec.lines.map((l) => [...l.values])]
    let plot: uPlot | null = null
    const draw = () => {
      plot?.destroy()
      plot = new uPlot(optionsOf(spec, element.clientWidth, timezone), data, element)
    }
    draw()
    const resized = new ResizeObserver(() => plot?.setSize({ width: element.clientWidth, height }))
    resized.observe(element)
    const scheme = matchMedia("(prefers-color-scheme: dark)")
    scheme.addEventListener("change", draw)
    return () => {
      resized.disconnect()
      scheme.removeEventListener("change", draw)
      plot?.destroy()
    }
  }, [spec, times, timezone])
  return (
    <figure class="chart card" data-chart={spec.id} data-points={pointsShown(spec)}>
      <figcaption>
        <h3>{spec.title}</h3>
        <p class="hint">{spec.summary}</p>
      </figcaption>
      <div ref={box} class="plot" role="img" aria-label={`${spec.title}: ${spec.summary}`} />
    </figure>
  )
}
