import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Option, Ref, Schema, Scope } from "effect"
import { defaultSimulatorOptions, startExotelSimulator } from "../../src/sim/exotel/ExotelSimulator.js"
import { SimLedger } from "../../src/sim/exotel/ledger.js"
import {
  defaultExotelClientOptions,
  ExotelClientConfig,
  simulatorAccount,
} from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { eventually, post } from "../support/upstream.js"

/** A simulator the test can stop and start again on the same port. */
class Upstream extends Context.Tag("Upstream")<
  Upstream,
  {
    readonly url: string
    readonly ledger: SimLedger
    readonly stop: Effect.Effect<void>
    readonly start: Effect.Effect<void>
  }
>() {}

const UpstreamLive = Layer.scoped(
  Upstream,
  Effect.gen(function* () {
    const ledger = new SimLedger()
    const running = yield* Ref.make(Option.none<Scope.CloseableScope>())
    const startOn = (port: number) =>
      Effect.gen(function* () {
        const scope = yield* Scope.make()
        const sim = yield* startExotelSimulator(
          defaultSimulatorOptions(simulatorAccount, { port, ledger }),
        ).pipe(Scope.extend(scope))
        yield* Ref.set(running, Option.some(scope))
        return sim.port
      })
    const stop = Effect.flatMap(Ref.getAndSet(running, Option.none()), (scope) =>
      Option.match(scope, { onNone: () => Effect.void, onSome: (s) => Scope.close(s, Exit.void) }),
    )
    const port = yield* startOn(0)
    yield* Effect.addFinalizer(() => stop)
    return { url: `http://127.0.0.1:${port}`, ledger, stop, start: Effect.asVoid(startOn(port)) }
  }),
)

// Long enough that a loaded machine still reaches the "still open" step inside it.
const openMs = 3_000

const gateway = Layer.unwrapEffect(
  Effect.map(Upstream, (upstream) =>
    TestGatewayLive({
      exotelServiceUrl: Option.some(upstream.url),
      dltEntityId: Option.some("1201159100000000001"),
      smsSenderId: Option.some("MNGWLE"),
    }),
  ),
).pipe(
  Layer.provide(
    Layer.succeed(ExotelClientConfig, {
      ...defaultExotelClientOptions,
      timeout: "2 seconds",
      breaker: { threshold: 3, openMs },
      httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 1 },
    }),
  ),
  Layer.provideMerge(UpstreamLive),
)

const sms = (to: string) => post("/sms/send", { to, message: "Hello", dltTemplateId: "1207160000000000001" })

const Row = Schema.Array(Schema.Struct({ smsSid: Schema.NullOr(Schema.String), status: Schema.String }))

layer(gateway, { timeout: 120_000, excludeTestServices: true })("Exotel down and up again", (it) => {
  it.effect(
    "fails fast with 503 while the breaker is open, recovers after it closes, and loses nothing accepted",
    () =>
      Effect.gen(function* () {
        const upstream = yield* Upstream
        const accepted: Array<string> = []
        const reports = Effect.sync(() =>
          upstream.ledger.all().filter((e) => e.kind === "callback" && e.status === 200),
        )
        const before = yield* sms("+919123600001")
        expect(before.status).toBe(200)
        accepted.push(String(before.body.smsSid))
        yield* eventually(reports, (r) => r.length === 1)

        yield* upstream.stop
        for (const n of [2, 3, 4]) {
          const down = yield* sms(`+91912360000${n}`)
          expect(down).toMatchObject({ status: 503, body: { _tag: "ServiceUnavailable" } })
          expect(String(down.body.message)).toMatch(/unreachable/)
        }
        const started = Date.now()
        const open = yield* sms("+919123600005")
        expect(Date.now() - started).toBeLessThan(1_000)
        expect(open.status).toBe(503)
        expect(String(open.body.message)).toMatch(/repeated failures/)

        yield* upstream.start
        const stillOpen = yield* sms("+919123600006")
        expect(stillOpen.status).toBe(503)
        expect(upstream.ledger.accepted("sms").length).toBe(1)

        yield* Effect.sleep(openMs + 100)
        for (const n of [7, 8]) {
          const up = yield* sms(`+91912360000${n}`)
          expect(up.status).toBe(200)
          accepted.push(String(up.body.smsSid))
        }

        const sent = upstream.ledger.accepted("sms").map((e) => e.fields.To)
        expect(sent).toEqual(["+919123600001", "+919123600007", "+919123600008"])
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql`SELECT sms_sid, status FROM sms_messages ORDER BY created_at`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Row)),
        )
        expect(rows.length).toBe(8)
        expect(rows.filter((r) => r.smsSid !== null).map((r) => r.smsSid)).toEqual(accepted)
        expect(rows.filter((r) => r.smsSid === null).every((r) => r.status === "failed")).toBe(true)
        // Each accepted SMS also gets its delivery report through. Waiting for them keeps a report from arriving
        // while the gateway shuts down, which held the server's close open until the hook timed out.
        const delivered = yield* eventually(reports, (r) => r.length === accepted.length)
        expect(delivered.map((r) => r.fields.SmsSid)).toEqual(accepted)
      }),
  )
})
