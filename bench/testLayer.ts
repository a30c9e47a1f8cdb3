// How long `exotel-voice-gateway/testing`'s GatewayTest takes to start and stop in a consumer's test process,
// next to its largest parts measured alone in the same run: a fresh in-memory PGlite (initdb) and one opened
// from the dump of an initialised, migrated data folder, each answering a query.
//
// The first GatewayTest of the run starts with no dump anywhere (it makes one: initdb, the migrations, the dump); every
// later one starts from the dump the first made, as every GatewayTest of a later process does.
import { rmSync } from "node:fs"
import { PGlite } from "@electric-sql/pglite"
import { Effect, Layer } from "effect"
import { Calls } from "../src/index.js"
import { initialisedDataFolder, snapshotFile } from "../src/testing/databaseSnapshot.js"
import { GatewayTest } from "../src/testing/index.js"
import { median, report, setting } from "./support.js"

const runs = setting("BENCH_RUNS", 5)

const timings = {
  first: [] as Array<number>,
  start: [] as Array<number>,
  stop: [] as Array<number>,
  pglite: [] as Array<number>,
  fromDump: [] as Array<number>,
}

/** From nothing to the first service call answered (started means usable), then to stopped. */
const gatewayOnce = (starts: Array<number>) =>
  Effect.gen(function* () {
    const started = performance.now()
    let stopping = 0
    yield* Effect.scoped(
      Effect.gen(function* () {
        const services = yield* Layer.build(GatewayTest())
        yield* Effect.provide(
          Effect.flatMap(Calls, (calls) =>
            calls.clickToCall({ agentPhone: "+919876500001", customerPhone: "+919123400001" }),
          ),
          services,
        )
        starts.push(performance.now() - started)
        stopping = performance.now()
      }),
    )
    timings.stop.push(performance.now() - stopping)
  })

const pgliteOnce = async (into: Array<number>, options: { loadDataDir?: Blob } = {}) => {
  const started = performance.now()
  const db = await PGlite.create(options)
  await db.query("SELECT 1")
  into.push(performance.now() - started)
  await db.close()
}

const kept = snapshotFile()
if (kept !== undefined) rmSync(kept, { force: true })
await Effect.runPromise(gatewayOnce(timings.first))
const dump = await Effect.runPromise(initialisedDataFolder)
for (let i = 0; i < runs; i++) {
  await pgliteOnce(timings.pglite)
  await pgliteOnce(timings.fromDump, { loadDataDir: dump })
  await Effect.runPromise(gatewayOnce(timings.start))
}

const start = median(timings.start)
report([
  {
    figure: `start from the dump to a first call, median of ${runs}, vs a fresh PGlite`,
    unit: "ms",
    gateway: start,
    baseline: median(timings.pglite),
  },
  {
    figure: `start from the dump to a first call, median of ${runs}, vs a PGlite from the dump`,
    unit: "ms",
    gateway: start,
    baseline: median(timings.fromDump),
  },
  { figure: "first start, making the dump", unit: "ms", gateway: timings.first[0] ?? null, baseline: null },
  { figure: `stop, median of ${runs + 1}`, unit: "ms", gateway: median(timings.stop), baseline: null },
])
