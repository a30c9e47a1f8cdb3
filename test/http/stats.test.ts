import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestGatewayLive } from "../support/testGateway.js"
import { get } from "../support/upstream.js"

// Known rows: most an hour old, some days old, so each period counts a different set. Every figure below
// is worked out by hand from these rows.
const seed = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Every call here has ended, with its outcome as its status; each took one attempt, v1 two.
  const voice = (
    id: string,
    type: string,
    status: string,
    answered: boolean,
    duration: number | null,
    prep: number | null,
    hoursAgo: number,
  ) => sql`
    INSERT INTO voice_calls (id, call_type, status, phone_number, metadata, answered_at, ended_at,
      duration_seconds, prep_time_minutes, attempt_number, created_at)
    VALUES (${id}, ${type}, ${status}, '+919800000000', '{}'::jsonb,
      CASE WHEN ${answered} THEN NOW()::timestamp END, NOW()::timestamp, ${duration}, ${prep},
      ${id === "v1" ? 2 : 1}, NOW()::timestamp - make_interval(hours => ${hoursAgo}))`
  yield* voice("v1", "vendor_confirmation", "prep_time_set", true, 30, 20, 1)
  yield* voice("v2", "vendor_confirmation", "prep_time_set", true, 50, 30, 1)
  yield* voice("v3", "vendor_confirmation", "rejected", true, 20, null, 1)
  yield* voice("v4", "vendor_confirmation", "busy", false, null, null, 1)
  yield* voice("v5", "rider_assignment", "accepted", true, 40, null, 1)
  yield* voice("v6", "rider_assignment", "failed", false, null, null, 1)
  yield* voice("v7", "vendor_confirmation", "prep_time_set", true, 60, 40, 24 * 5)
  yield* voice("v8", "vendor_confirmation", "no_response", false, null, null, 24 * 20)

  const call = (
    id: string,
    sid: string | null,
    status: string,
    duration: number | null,
    hoursAgo: number,
  ) => sql`
    INSERT INTO calls (id, call_sid, kind, status, from_number, callback_token, duration_seconds, created_at)
    VALUES (${id}, ${sid}, 'click_to_call', ${status}, '+919800000001', ${`token-${id}`}, ${duration},
      NOW() - make_interval(hours => ${hoursAgo}))`
  yield* call("c1", "sid1", "completed", 42, 1)
  yield* call("c2", "sid2", "completed", 18, 1)
  yield* call("c3", "sid3", "busy", 0, 1)
  yield* call("c4", "sid4", "no-answer", 0, 1)
  yield* call("c5", "sid5", "in-progress", null, 1)
  yield* call("c6", null, "failed", null, 1)
  yield* call("c7", "sid7", "completed", 60, 24 * 3)

  const sms = (id: string, sid: string | null, status: string, segments: number, hoursAgo: number) => sql`
    INSERT INTO sms_messages (id, sms_sid, to_number, body, sms_type, encoding, segments, callback_token, status,
      created_at)
    VALUES (${id}, ${sid}, '+919800000002', 'hi', 'transactional', 'GSM-7', ${segments}, ${`token-${id}`},
      ${status}, NOW() - make_interval(hours => ${hoursAgo}))`
  yield* sms("s1", "ssid1", "sent", 1, 1)
  yield* sms("s2", "ssid2", "sent", 2, 1)
  yield* sms("s3", "ssid3", "failed_dnd", 1, 1)
  yield* sms("s4", "ssid4", "queued", 1, 1)
  yield* sms("s5", null, "failed", 1, 1)
  yield* sms("s6", "ssid6", "sent", 3, 24 * 10)

  const cqa = (
    id: string,
    callSid: string,
    type: string,
    transcript: string,
    acoustic: readonly [
      duration: number,
      talk: number,
      longest: number,
      clipping: number,
      rms: number | null,
    ],
    stereo: readonly [overlap: number, interruptions: number] | null,
    sentiment: readonly [label: string, score: number] | null,
    passed: boolean | null,
    missing: ReadonlyArray<string>,
    keywords: ReadonlyArray<string>,
    hoursAgo: number,
  ) => sql`
    INSERT INTO cqa_results (id, call_sid, analysis_type, audio_source, transcript_source, duration_seconds,
      talk_seconds, longest_silence_seconds, clipping_ratio, rms_dbfs, overlap_seconds, interruptions,
      sentiment_label, sentiment_score, compliance_passed, missing_phrases, keywords, result, created_at)
    VALUES (${id}, ${callSid}, ${type}, 'recording', ${transcript}, ${acoustic[0]}, ${acoustic[1]}, ${acoustic[2]},
      ${acoustic[3]}, ${acoustic[4]}, ${stereo?.[0] ?? null}, ${stereo?.[1] ?? null}, ${sentiment?.[0] ?? null},
      ${sentiment?.[1] ?? null}, ${passed},
      ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb)),
      ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify(keywords)}::jsonb)), '{}'::jsonb,
      NOW() - make_interval(hours => ${hoursAgo}))`
  yield* cqa(
    "r1",
    "sid1",
    "full",
    "request",
    [10, 5, 2.5, 0, -20],
    null,
    ["positive", 3],
    true,
    [],
    ["refund"],
    1,
  )
  yield* cqa(
    "r2",
    "sid2",
    "full",
    "request",
    [10, 8, 0.5, 0.1, -10],
    [0.5, 1],
    ["negative", -4],
    false,
    ["recording_notice"],
    ["refund", "late"],
    1,
  )
  yield* cqa("r3", "sid1", "sentiment", "none", [20, 2, 10, 0, null], null, null, null, [], [], 1)
  yield* cqa(
    "r4",
    "sid7",
    "compliance",
    "request",
    [10, 10, 0, 0, -6],
    null,
    null,
    false,
    ["greeting", "recording_notice"],
    [],
    24 * 8,
  )
})

const stats = (path: string) =>
  Effect.map(get(path), (r) => {
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body
  })

layer(TestGatewayLive(), { timeout: 120_000, excludeTestServices: true })("the stats endpoints", (it) => {
  it.effect("GET /nerve/calls/stats: every figure, for each period", () =>
    Effect.gen(function* () {
      yield* seed
      expect(yield* stats("/nerve/calls/stats?period=24h")).toEqual({
        period: "24h",
        total: 6,
        byStatus: { prep_time_set: 2, rejected: 1, accepted: 1, busy: 1, failed: 1 },
        completed: 4,
        successRate: 0.667,
        answered: 4,
        answerRate: 0.667,
        averageDurationSeconds: 35,
        accepted: 3,
        rejected: 1,
        acceptanceRate: 0.75,
        averagePrepTimeMinutes: 25,
        vendorCalls: { total: 4, accepted: 2, successRate: 0.5 },
        attempts: { total: 7, callsRetried: 1 },
      })
      expect(yield* stats("/nerve/calls/stats?period=7d")).toMatchObject({
        total: 7,
        completed: 5,
        successRate: 0.714,
        answered: 5,
        averageDurationSeconds: 40,
        accepted: 4,
        acceptanceRate: 0.8,
        averagePrepTimeMinutes: 30,
        vendorCalls: { total: 5, accepted: 3, successRate: 0.6 },
      })
      expect(yield* stats("/nerve/calls/stats?period=30d")).toMatchObject({
        total: 8,
        byStatus: { prep_time_set: 3, rejected: 1, accepted: 1, busy: 1, failed: 1, no_response: 1 },
        successRate: 0.625,
        answerRate: 0.625,
        vendorCalls: { total: 6, accepted: 3, successRate: 0.5 },
      })
      expect((yield* stats("/nerve/calls/stats")).period).toBe("7d")
    }),
  )

  it.effect(
    "GET /calls/stats: success, answer and delivery rates and average duration, for each period",
    () =>
      Effect.gen(function* () {
        expect(yield* stats("/calls/stats?period=24h")).toEqual({
          period: "24h",
          calls: {
            total: 6,
            byStatus: { completed: 2, busy: 1, "no-answer": 1, "in-progress": 1, failed: 1 },
            completed: 2,
            answered: 3,
            failed: 3,
            successRate: 0.333,
            answerRate: 0.5,
            averageDurationSeconds: 30,
          },
          sms: {
            total: 5,
            byStatus: { sent: 2, failed_dnd: 1, queued: 1, failed: 1 },
            sent: 4,
            delivered: 2,
            failed: 2,
            segments: 6,
            deliveryRate: 0.5,
          },
        })
        expect(yield* stats("/calls/stats?period=7d")).toMatchObject({
          calls: {
            total: 7,
            completed: 3,
            answered: 4,
            successRate: 0.429,
            answerRate: 0.571,
            averageDurationSeconds: 40,
          },
          sms: { total: 5, sent: 4, delivered: 2, deliveryRate: 0.5 },
        })
        expect(yield* stats("/calls/stats?period=30d")).toMatchObject({
          calls: { total: 7 },
          sms: { total: 6, sent: 5, delivered: 3, segments: 9, deliveryRate: 0.6 },
        })
      }),
  )

  it.effect(
    "GET /cqa/stats: counts, acoustic averages, sentiment, compliance and keywords, for each period",
    () =>
      Effect.gen(function* () {
        expect(yield* stats("/cqa/stats?period=24h")).toEqual({
          period: "24h",
          analyses: 3,
          callsAnalysed: 2,
          byType: { sentiment: 1, keywords: 0, compliance: 0, full: 2 },
          withTranscript: 2,
          acoustics: {
            audioSeconds: 40,
            talkRatio: 0.375,
            averageLongestSilenceSeconds: 4.333,
            maxLongestSilenceSeconds: 10,
            averageClippingRatio: 0.03333,
            averageRmsDbfs: -15,
            averageOverlapSeconds: 0.5,
            interruptions: 1,
          },
          sentiment: { positive: 1, neutral: 0, negative: 1, averageScore: -0.5 },
          compliance: {
            checked: 2,
            passed: 1,
            passRate: 0.5,
            mostMissed: [{ name: "recording_notice", count: 1 }],
          },
          keywords: {
            top: [
              { name: "refund", count: 2 },
              { name: "late", count: 1 },
            ],
          },
        })
        expect(yield* stats("/cqa/stats?period=30d")).toMatchObject({
          analyses: 4,
          callsAnalysed: 3,
          byType: { compliance: 1 },
          acoustics: { audioSeconds: 50, talkRatio: 0.5 },
          compliance: {
            checked: 3,
            passed: 1,
            passRate: 0.333,
            mostMissed: [
              { name: "recording_notice", count: 2 },
              { name: "greeting", count: 1 },
            ],
          },
        })
      }),
  )

  it.effect("an unknown period is a 400 naming it, on every stats endpoint", () =>
    Effect.gen(function* () {
      for (const path of ["/nerve/calls/stats", "/calls/stats", "/cqa/stats"]) {
        const answer = yield* get(`${path}?period=90d`)
        expect(answer.status).toBe(400)
        expect(answer.body.field).toBe("period")
        expect(String(answer.body.message)).toMatch(/24h, 7d or 30d/)
      }
    }),
  )
})
