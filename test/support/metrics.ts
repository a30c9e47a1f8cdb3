// The gateway's /metrics as a test reads it: the Prometheus text, and one counter's value out of it.
import { Effect } from "effect"
import { asAdmin } from "./testGateway.js"

export const metricsText = Effect.flatMap(asAdmin, (client) =>
  client.get("/api/exotel/metrics").pipe(
    Effect.flatMap((r) => r.text),
    Effect.scoped,
    Effect.orDie,
  ),
)

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The value of `name{label="value",…}` (labels in the order given), 0 when it has not been counted yet. */
export const counterIn = (text: string, name: string, labels: Readonly<Record<string, string>> = {}) => {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const series = pairs.length === 0 ? name : `${name}{${pairs.join(",")}}`
  return Number(text.match(new RegExp(`^${escaped(series)} (\\d+)`, "m"))?.[1] ?? 0)
}

export const counter = (name: string, labels: Readonly<Record<string, string>> = {}) =>
  Effect.map(metricsText, (text) => counterIn(text, name, labels))
