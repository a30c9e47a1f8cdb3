// Every endpoint that reaches Exotel meets each of the simulator's failure scenarios the same way: a 429
// with Retry-After is retried and succeeds, a 429 or 503 that persists is a 503, an NDNC refusal a 422 with
// Exotel's status, and in every case the request was stored first and nothing is left half-done.
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { defaultExotelClientOptions, ExotelClientConfig } from "../../src/upstream/exotel/ExotelClient.js"
import { TestGatewayLive } from "../support/testGateway.js"
import { ledger, post } from "../support/upstream.js"

const clientOptions = Layer.succeed(ExotelClientConfig, {
  ...defaultExotelClientOptions,
  timeout: "1 second",
  breaker: { threshold: 1_000, openMs: 1_000 },
  httpRetry: { ...defaultExotelClientOptions.httpRetry, maxAttempts: 2, jitter: 0 },
})

const gateway = TestGatewayLive({
  defaultExoPhone: Option.some("08040000000"),
  dltEntityId: Option.some("1201159100000000001"),
}).pipe(Layer.provide(clientOptions))

interface Endpoint {
  readonly path: string
  /** The request body with the given number as the destination the simulator picks its scenario by. */
  readonly body: (to: string) => object
  readonly kind: "call" | "sms" | "bulk_sms" | "whatsapp" | "greenvn"
  readonly table: string
  readonly destination: (fields: Readonly<Record<string, unknown>>) => unknown
}

const endpoints: ReadonlyArray<Endpoint> = [
  {
    path: "/verified-calls",
    body: (to) => ({ phone: to, reason: "Order Delivery Update" }),
    kind: "call",
    table: "calls",
    destination: (f) => f.From,
  },
  {
    path: "/number-masking",
    body: (to) => ({ partyA: "+919876543210", partyB: to }),
    kind: "greenvn",
    table: "number_masks",
    destination: (f) => (f.bparty_numbers as Array<string> | undefined)?.[0],
  },
  {
    path: "/sms/bulk",
    body: (to) => ({ recipients: [to], message: "Hello", dltTemplateId: "1207160000000000001" }),
    kind: "bulk_sms",
    table: "sms_messages",
    destination: (f) => f["Messages[0][To]"],
  },
  {
    path: "/whatsapp/send",
    body: (to) => ({ to, templateName: "order_confirmation" }),
    kind: "whatsapp",
    table: "whatsapp_messages",
    destination: (f) => (f.whatsapp as { messages: Array<{ to: string }> } | undefined)?.messages[0]?.to,
  },
]

let serial = 100
const nextNumber = (suffix: string) => `+91912${String(serial++).padStart(4, "0")}${suffix}`

const requestsTo = (endpoint: Endpoint, to: string) =>
  Effect.map(ledger, (l) =>
    l
      .all()
      .filter((e) => e.kind === endpoint.kind && endpoint.destination(e.fields) === to)
      .map((e) => e.status),
  )

const storedRows = (table: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ n: number }>`SELECT COUNT(*)::int AS n FROM ${sql(table)}`.pipe(
      Effect.map((rows) => rows[0]?.n ?? 0),
      Effect.orDie,
    ),
  )

layer(gateway, { timeout: 120_000, excludeTestServices: true })(
  "failure scenarios, endpoint by endpoint",
  (it) => {
    for (const endpoint of endpoints) {
      it.effect(`${endpoint.path}: …995 is retried after Retry-After and succeeds`, () =>
        Effect.gen(function* () {
          const to = nextNumber("995")
          const answer = yield* post(endpoint.path, endpoint.body(to))
          expect(answer.status).toBe(200)
          const [first, ...rest] = yield* requestsTo(endpoint, to)
          expect(first).toBe(429)
          expect(rest).toEqual([expect.any(Number)])
          expect(rest[0]).toBeGreaterThanOrEqual(200)
          expect(rest[0]).toBeLessThan(300)
        }),
      )

      for (const suffix of ["996", "997"]) {
        it.effect(
          `${endpoint.path}: …${suffix} persists, so 503 after one retry, and the request is on record`,
          () =>
            Effect.gen(function* () {
              const before = yield* storedRows(endpoint.table)
              const to = nextNumber(suffix)
              const answer = yield* post(endpoint.path, endpoint.body(to))
              expect(answer).toMatchObject({ status: 503, body: { _tag: "ServiceUnavailable" } })
              expect((yield* requestsTo(endpoint, to)).length).toBe(2)
              expect(yield* storedRows(endpoint.table)).toBe(before + 1)
            }),
        )
      }

      it.effect(`${endpoint.path}: an NDNC number (…998) is refused`, () =>
        Effect.gen(function* () {
          const to = nextNumber("998")
          const answer = yield* post(endpoint.path, endpoint.body(to))
          // A bulk send is accepted as a whole; the refused recipient is counted as failed.
          if (endpoint.kind === "bulk_sms") {
            expect(answer).toMatchObject({ status: 200, body: { total: 1, success: 0, failed: 1 } })
          } else {
            expect(answer.status).toBe(422)
          }
          expect((yield* requestsTo(endpoint, to)).length).toBe(1)
        }),
      )
    }
  },
)
