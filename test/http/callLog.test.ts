import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { get } from "../support/upstream.js"

const total = 10_000
const epoch = Date.parse("2026-01-01T00:00:00Z")

// Call n: created n minutes after the epoch; inbound when n % 5 = 0; agent n % 50; customer n % 2000.
const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    INSERT INTO calls (id, call_sid, kind, direction, status, from_number, to_number, caller_id, callback_token, created_at, updated_at)
    SELECT 'seed_' || lpad(n::text, 5, '0'), 'sid' || n, 'click_to_call',
      CASE WHEN n % 5 = 0 THEN 'inbound' ELSE 'outbound' END,
      (ARRAY['completed','busy','no-answer','failed','completed'])[n % 5 + 1],
      '+9198765' || lpad((n % 50)::text, 5, '0'), '+9191234' || lpad((n % 2000)::text, 5, '0'), '08040000000',
      'seed-token-' || n, ${new Date(epoch)}::timestamptz + n * interval '1 minute', NOW()
    FROM generate_series(0, ${total - 1}) AS n`
  yield* sql`ANALYZE calls`
})

// EXPLAIN answers one column, "QUERY PLAN", one row per plan line.
const Plan = Schema.Array(Schema.Record({ key: Schema.String, value: Schema.String }))
const explain = (where: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql
      .unsafe(
        `EXPLAIN SELECT * FROM calls WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 100`,
      )
      .pipe(Effect.flatMap(Schema.decodeUnknown(Plan)))
    return rows.flatMap((r) => Object.values(r)).join("\n")
  })

const page = (query: string) =>
  Effect.map(get(`/calls?${query}`), (r) => {
    expect(r.status).toBe(200)
    return r.body
  })

const ids = (body: Readonly<Record<string, unknown>>) =>
  (Array.isArray(body.calls) ? body.calls : []).map((c: unknown) =>
    typeof c === "object" && c !== null ? String(Reflect.get(c, "id")) : "",
  )

layer(TestGatewayLive(), { timeout: 120_000, excludeTestServices: true })(
  "GET /calls over 10,000 calls",
  (it) => {
    it.effect("pages through every call, newest first, 100 at a time", () =>
      Effect.gen(function* () {
        yield* seed
        const seen: Array<string> = []
        for (let p = 1; p <= total / 100; p++) {
          const body = yield* page(`page=${p}&limit=100`)
          expect(body.total).toBe(total)
          expect(body.hasMore).toBe(p < total / 100)
          seen.push(...ids(body))
        }
        expect(seen.length).toBe(total)
        expect(new Set(seen).size).toBe(total)
        expect(seen[0]).toBe("seed_09999")
        expect(seen.at(-1)).toBe("seed_00000")
      }),
    )

    it.effect("filters by status, direction, creation time and phone, alone and together", () =>
      Effect.gen(function* () {
        expect((yield* page("status=busy")).total).toBe(total / 5)
        expect((yield* page("status=completed&limit=100")).total).toBe((2 * total) / 5)
        expect((yield* page("direction=inbound")).total).toBe(total / 5)
        const from = new Date(epoch + 1000 * 60_000).toISOString()
        const to = new Date(epoch + 1999 * 60_000).toISOString()
        expect((yield* page(`from=${from}&to=${to}`)).total).toBe(1000)
        const agent = yield* page(`phone=${encodeURIComponent("+919876500007")}&limit=100`)
        expect(agent.total).toBe(total / 50)
        const customer = yield* page(`phone=${encodeURIComponent("+919123400042")}`)
        expect(customer.total).toBe(total / 2000)
        expect(ids(customer)).toEqual(["seed_08042", "seed_06042", "seed_04042", "seed_02042", "seed_00042"])
        // Indian numbers without +91 are normalised like everywhere else.
        expect((yield* page("phone=9123400042")).total).toBe(5)
        const combined = yield* page(
          `status=busy&direction=outbound&from=${from}&to=${to}&phone=%2B919876500001`,
        )
        // n ≡ 1 (mod 50) gives n % 5 = 1: busy and outbound; 20 such n lie in [1000, 1999].
        expect(combined.total).toBe(20)
        expect((yield* page("page=1000&limit=100")).calls).toEqual([])
      }),
    )

    it.effect("answers each filter from an index, never a sequential scan", () =>
      Effect.gen(function* () {
        const plans = {
          none: yield* explain("TRUE"),
          status: yield* explain("status = 'busy'"),
          direction: yield* explain("direction = 'inbound'"),
          period: yield* explain(
            "created_at >= '2026-01-01T16:40:00Z' AND created_at <= '2026-01-02T09:19:00Z'",
          ),
          phone: yield* explain("(from_number = '+919123400042' OR to_number = '+919123400042')"),
        }
        expect(plans.none).toMatch(/calls_created_idx/)
        expect(plans.status).toMatch(/calls_status_created_idx/)
        expect(plans.direction).toMatch(/calls_direction_created_idx/)
        expect(plans.period).toMatch(/calls_created_idx/)
        expect(plans.phone).toMatch(/calls_from_created_idx/)
        expect(plans.phone).toMatch(/calls_to_created_idx/)
        for (const plan of Object.values(plans)) expect(plan).not.toMatch(/Seq Scan/)
      }),
    )

    describe("bad parameters name the field", () => {
      for (const [query, field] of [
        ["limit=101", "limit"],
        ["limit=0", "limit"],
        ["page=0", "page"],
        ["page=two", "page"],
        ["direction=sideways", "direction"],
        ["from=yesterday", "from"],
        ["phone=abc", "phone"],
      ] as const) {
        it.effect(query, () =>
          Effect.gen(function* () {
            const answer = yield* get(`/calls?${query}`)
            expect(answer).toMatchObject({ status: 400, body: { field } })
          }),
        )
      }
    })
  },
)
