// GET /stats/series, the console's charts: locked without a token, readable by a viewer, refusing a bad period by
// name, and every bucket listed (zeros where nothing happened) with rows counted in the bucket they were made in,
// on the timing configuration's clock (Asia/Kolkata by default, whose hours begin at :30 past in UTC).
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { StatsSeries } from "../../src/api/statsSeries.js"
import { clientWith, TestGatewayLive } from "../support/testGateway.js"
import { get, post } from "../support/upstream.js"

const series = (period: string) =>
  Effect.gen(function* () {
    const answer = yield* get(`/stats/series?period=${period}`)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    return yield* Schema.decodeUnknown(StatsSeries)(answer.body)
  }).pipe(Effect.orDie)

const minutesAfter = (iso: string, minutes: number) =>
  new Date(Date.parse(iso) + minutes * 60_000).toISOString()

// Rows placed a few minutes into a bucket whose start the gateway gave; the voice_calls timestamps are the
// seed's TIMESTAMP, written in the session's zone as the gateway writes them.
const seed = (callsAt: string, cqaAt: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const call = (id: string, status: string) => sql`
      INSERT INTO calls (id, call_sid, kind, status, from_number, callback_token, created_at)
      VALUES (${id}, ${`sid-${id}`}, 'campaign', ${status}, '+919800000001', ${`token-${id}`},
        ${callsAt}::timestamptz)`
    yield* call("c1", "completed")
    yield* call("c2", "in-progress")
    yield* call("c3", "busy")
    yield* call("c4", "no-answer")
    const voice = (id: string, type: string, status: string, answered: boolean) => sql`
      INSERT INTO voice_calls (id, call_type, status, phone_number, answered_at, created_at)
      VALUES (${id}, ${type}, ${status}, '+919800000000', CASE WHEN ${answered} THEN NOW()::timestamp END,
        ${callsAt}::timestamptz::timestamp)`
    yield* voice("v1", "vendor_confirmation", "prep_time_set", true)
    yield* voice("v2", "vendor_confirmation", "accepted", true)
    yield* voice("v3", "vendor_confirmation", "rejected", true)
    yield* voice("v4", "vendor_confirmation", "no_response", false)
    yield* voice("v5", "rider_assignment", "accepted", true)
    const cqa = (id: string, score: number | null, passed: boolean | null) => sql`
      INSERT INTO cqa_results (id, call_sid, analysis_type, audio_source, transcript_source, duration_seconds,
        talk_seconds, longest_silence_seconds, clipping_ratio, sentiment_score, compliance_passed, result, created_at)
      VALUES (${id}, 'sid-c1', 'full', 'recording', 'request', 10, 5, 1, 0, ${score}, ${passed}, '{}'::jsonb,
        ${cqaAt}::timestamptz)`
    yield* cqa("q1", 3, true)
    yield* cqa("q2", -2, false)
    yield* cqa("q3", null, true)
  })

const empty = {
  calls: { total: 0, answered: 0, answerRate: null },
  nerveCalls: { total: 0, answered: 0, answerRate: null },
  vendor: { calls: 0, accepted: 0, rejected: 0, noAnswer: 0, acceptanceRate: null },
  cqa: { analyses: 0, averageSentiment: null, compliancePassRate: null },
}

layer(TestGatewayLive(), { timeout: 120_000, excludeTestServices: true })("GET /stats/series", (it) => {
  it.effect("is in the OpenAPI document, answers 401 without a token, and a viewer may read it", () =>
    Effect.gen(function* () {
      const docs = yield* (yield* clientWith(undefined)).get("/api/docs/openapi.json")
      const document = (yield* docs.json) as { paths: Record<string, Record<string, unknown>> }
      expect(Object.keys(document.paths["/stats/series"] ?? {})).toEqual(["get"])
      const anonymous = yield* (yield* clientWith(undefined)).get("/api/exotel/stats/series?period=24h")
      expect(anonymous.status).toBe(401)
      const key = yield* post("/api-keys", { name: "charts viewer", role: "viewer" })
      const viewer = yield* (yield* clientWith(String(key.body.key))).get(
        "/api/exotel/stats/series?period=7d",
      )
      expect(viewer.status).toBe(200)
    }),
  )

  it.effect("refuses a period it does not know with 400 naming the field", () =>
    Effect.gen(function* () {
      const refused = yield* get("/stats/series?period=1y")
      expect(refused.status).toBe(400)
      expect(refused.body).toMatchObject({
        field: "period",
        message: 'period: must be 24h, 7d or 30d, got "1y"',
      })
    }),
  )

  it.effect("lists every bucket of an empty database, oldest first, with zeros and null rates", () =>
    Effect.gen(function* () {
      const day = yield* series("24h")
      expect(day).toMatchObject({ period: "24h", bucket: "hour", timezone: "Asia/Kolkata" })
      expect(day.buckets).toHaveLength(24)
      for (const b of day.buckets) expect(b).toEqual({ start: b.start, ...empty })
      // An Indian hour begins half past a UTC one; consecutive buckets are an hour apart.
      expect(day.buckets.every((b) => b.start.endsWith(":30:00Z"))).toBe(true)
      const starts = day.buckets.map((b) => Date.parse(b.start))
      expect(starts.slice(1).map((s, i) => s - (starts[i] ?? 0))).toEqual(Array(23).fill(3_600_000))
      expect(starts.at(-1) ?? 0).toBeLessThanOrEqual(Date.now())
      expect(Date.now() - (starts.at(-1) ?? 0)).toBeLessThan(3_600_000)
      const month = yield* series("30d")
      expect(month.bucket).toBe("day")
      expect(month.buckets).toHaveLength(30)
      // An Indian day begins at 18:30 UTC the day before.
      expect(month.buckets.every((b) => b.start.endsWith("T18:30:00Z"))).toBe(true)
      expect((yield* series("7d")).buckets).toHaveLength(7)
    }),
  )

  it.effect("counts each row in the bucket it was made in, and every other bucket stays zero", () =>
    Effect.gen(function* () {
      const before = yield* series("24h")
      // Not the oldest buckets: should the hour turn between the two reads, they would slide out of the period.
      const callsAt = minutesAfter(before.buckets[20]?.start ?? "", 10)
      const cqaAt = minutesAfter(before.buckets[22]?.start ?? "", 59)
      yield* seed(callsAt, cqaAt)
      const after = yield* series("24h")
      const at = (start: string | undefined) => after.buckets.find((b) => b.start === start)
      expect(at(before.buckets[20]?.start)).toEqual({
        start: before.buckets[20]?.start,
        calls: { total: 4, answered: 2, answerRate: 0.5 },
        nerveCalls: { total: 5, answered: 4, answerRate: 0.8 },
        vendor: { calls: 4, accepted: 2, rejected: 1, noAnswer: 1, acceptanceRate: 0.5 },
        cqa: empty.cqa,
      })
      expect(at(before.buckets[22]?.start)).toEqual({
        ...empty,
        start: before.buckets[22]?.start,
        cqa: { analyses: 3, averageSentiment: 0.5, compliancePassRate: 0.667 },
      })
      const others = after.buckets.filter(
        (b) => b !== at(before.buckets[20]?.start) && b !== at(before.buckets[22]?.start),
      )
      expect(others).toHaveLength(22)
      for (const b of others) expect(b).toEqual({ start: b.start, ...empty })
      // The week's buckets are days: both rows fall in one or two of them, and the totals are the same.
      const week = yield* series("7d")
      const sum = (f: (b: (typeof week.buckets)[number]) => number) =>
        week.buckets.reduce((n, b) => n + f(b), 0)
      expect([sum((b) => b.calls.total), sum((b) => b.vendor.accepted), sum((b) => b.cqa.analyses)]).toEqual([
        4, 2, 3,
      ])
      expect(week.buckets.filter((b) => b.calls.total > 0 || b.cqa.analyses > 0).length).toBeLessThanOrEqual(
        2,
      )
    }),
  )
})
