import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { decodeResults, merge, type Row, type Run, table, targetMet } from "../../bench/results.js"

const machine = { cores: 2, cpu: "Test CPU", node: "v24.0.0" }
const runOf = (date: string, rows: ReadonlyArray<Row>): Run => ({ rows, machine, date, settings: {} })
const restart: Row = {
  figure: "restart",
  unit: "ms",
  gateway: 1230,
  baseline: 640,
  target: { of: "gateway", bound: "atMost", value: 2000 },
}

describe("bench results", () => {
  it("a benchmark run alone replaces its own rows and keeps the others' last run, in the benchmarks' order", () => {
    const previous = {
      startup: runOf("2026-01-01 10:00 UTC", [restart]),
      stats: runOf("2026-01-01 10:05 UTC", [{ figure: "p50", unit: "ms", gateway: 16, baseline: 5 }]),
      retired: runOf("2025-12-01 10:00 UTC", [{ figure: "old", unit: "ms", gateway: 1, baseline: 1 }]),
    }
    const latest = {
      stats: runOf("2026-02-02 09:00 UTC", [{ figure: "p50", unit: "ms", gateway: 12, baseline: 5 }]),
    }
    const merged = merge(["startup", "smsSend", "stats"], previous, latest)
    expect(Object.keys(merged)).toEqual(["startup", "stats"])
    expect(merged.startup).toEqual(previous.startup)
    expect(merged.stats).toEqual(latest.stats)
  })

  it("a target bounds the gateway's figure or its ratio to the baseline", () => {
    expect(targetMet(restart)).toBe(true)
    expect(targetMet({ ...restart, gateway: 2100 })).toBe(false)
    const streams: Row = {
      figure: "streams",
      unit: "streams",
      gateway: 2400,
      baseline: 3200,
      target: { of: "ratio", bound: "atLeast", value: 0.8 },
    }
    expect(targetMet(streams)).toBe(false)
    expect(targetMet({ ...streams, gateway: 2560 })).toBe(true)
    expect(targetMet({ ...streams, baseline: null })).toBeNull()
    expect(targetMet({ ...restart, target: undefined })).toBeUndefined()
  })

  it("the table holds both figures, their ratio, the target, the machine, the date and the settings", () => {
    const lines = table({
      startup: { ...runOf("2026-01-01 10:00 UTC", [restart]), settings: { BENCH_RUNS: "1" } },
    })
      .split("\n")
      .map((line) => line.split("|").map((cell) => cell.trim()))
    expect(lines[2]).toEqual([
      "",
      "startup",
      "restart",
      "1.23 s",
      "640 ms",
      "1.92×",
      "≤ 2 s: met",
      "2 cores, Test CPU, Node v24.0.0",
      "2026-01-01 10:00 UTC",
      "BENCH_RUNS=1",
      "",
    ])
  })

  it("the table has one line a row, every line as wide as the header, whatever the figures are called", () => {
    const rowArbitrary: fc.Arbitrary<Row> = fc.record({
      figure: fc.string(),
      unit: fc.constantFrom("ms", "req/s", "KiB"),
      gateway: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
      baseline: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true })),
    })
    fc.assert(
      fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 8 }), (rows) => {
        const lines = table({ startup: runOf("2026-01-01 10:00 UTC", rows) }).split("\n")
        expect(lines).toHaveLength(rows.length + 2)
        for (const line of lines) expect(line.length).toBe(lines[0]?.length)
        for (const line of lines) expect(line.replaceAll("\\|", "").split("|")).toHaveLength(11)
      }),
    )
  })

  it("results.json round-trips", () => {
    const results = {
      startup: { ...runOf("2026-01-01 10:00 UTC", [restart]), settings: { BENCH_RUNS: "1" } },
    }
    expect(decodeResults(JSON.stringify(results))).toEqual(results)
  })
})
