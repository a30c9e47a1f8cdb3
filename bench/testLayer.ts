// How long `exotel-voice-gateway/testing`'s GatewayTest takes to start and stop in a consumer's test process,
// next to its largest part measured alone in the same run: a fresh in-memory PGlite (initdb) and a query.
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer } from "effect"
import { Calls } from "../src/index.js"
import { GatewayTest } from "../src/testing/index.js"
import { median } from "./support.js"

const runs = Number(process.env.BENCH_RUNS ?? 5)

const gatewayOnce = Effect.gen(function* () {
  const started = performance.now()
  yield* Effect.scoped(
    Effect.gen(function* () {
      const services = yield* Layer.build(GatewayTest())
      // Started means usable: the first service call answers.
      yield* Effect.provide(
        Effect.flatMap(Calls, (calls) =>
          calls.clickToCall({ agentPhone: "+919876500001", customerPhone: "+919123400001" }),
        ),
        services,
      )
      timings.start.push(performance.now() - started)
      stopping = performance.now()
    }),
  )
  timings.stop.push(performance.now() - stopping)
})

const timings = { start: [] as Array<number>, stop: [] as Array<number>, pglite: [] as Array<number> }
let stopping = 0

const pgliteOnce = async () => {
  const started = performance.now()
  const db = await PGlite.create()
  await db.query("SELECT 1")
  timings.pglite.push(performance.now() - started)
  await db.close()
}

for (let i = 0; i < runs; i++) {
  await pgliteOnce()
  await Effect.runPromise(gatewayOnce)
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`
const start = median(timings.start)
const bare = median(timings.pglite)
console.log(`GatewayTest start to first call answered: median ${fmt(start)} over ${runs} runs`)
console.log(`GatewayTest stop: median ${fmt(median(timings.stop))}`)
console.log(`baseline, a fresh in-memory PGlite answering SELECT 1: median ${fmt(bare)}`)
console.log(`ratio, GatewayTest start / bare PGlite: ${(start / bare).toFixed(2)}×`)
