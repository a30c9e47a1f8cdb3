// Calls recorded before voice_call_attempts existed: 0012 gives them their decision as their status and their
// attempts back from the event log, so a retried call's first no-answer is on the record for them too.
import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { backfill } from "../../src/store/migrations/0012_voice_call_attempts.js"
import { TestCoreLive } from "../support/testGateway.js"

const legacyCall = (
  id: string,
  status: string,
  flow: { readonly phase: string; readonly decision: string | null },
  prep: number | null,
  attempt: number,
  log: ReadonlyArray<readonly [event: string, statusAfter: string]>,
) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`
      INSERT INTO voice_calls (id, call_type, status, order_id, phone_number, call_sid, prep_time_minutes,
        attempt_number, answered_at, ended_at, metadata)
      VALUES (${id}, 'vendor_confirmation', ${status}, 9100, '+919800000000', ${`sid-${id}-${attempt}`}, ${prep},
        ${attempt}, NOW()::timestamp, NOW()::timestamp,
        ${JSON.stringify({ flow: { ...flow, status }, details: {}, mode: "built-in" })}::jsonb)`
    for (const [event, statusAfter] of log) {
      yield* sql`
        INSERT INTO voice_call_events (call_id, event, source, applied, status_after)
        VALUES (${id}, ${event}, 'exotel', true, ${statusAfter})`
    }
  })

layer(TestCoreLive(), { timeout: 60_000 })("0012 on calls recorded before it", (it) => {
  it.effect("a retried acceptance, a rejection and a busy line read as they would be recorded now", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* legacyCall("L1", "completed", { phase: "ended", decision: "accepted" }, 30, 2, [
        ["initiated", "initiated"],
        ["ringing", "ringing"],
        ["hangup:no_answer", "no_response"],
        ["retry", "initiated"],
        ["answered", "answered"],
        ["digit:1", "accepted"],
        ["silence", "prep_time_set"],
      ])
      yield* legacyCall("L2", "completed", { phase: "ended", decision: "rejected" }, null, 1, [
        ["initiated", "initiated"],
        ["digit:2", "rejected"],
      ])
      yield* legacyCall("L3", "busy", { phase: "ended", decision: null }, null, 1, [["hangup:busy", "busy"]])
      yield* backfill
      const calls = yield* sql<{ id: string; status: string; flowStatus: string }>`
        SELECT id, status, metadata->'flow'->>'status' AS flow_status FROM voice_calls
        WHERE order_id = 9100 ORDER BY id`
      expect(calls).toEqual([
        { id: "L1", status: "prep_time_set", flowStatus: "prep_time_set" },
        { id: "L2", status: "rejected", flowStatus: "rejected" },
        { id: "L3", status: "busy", flowStatus: "busy" },
      ])
      const attempts = yield* sql<{
        callId: string
        attempt: number
        callSid: string | null
        status: string
        outcome: string | null
        ended: boolean
      }>`
        SELECT call_id, attempt, call_sid, status, outcome, ended_at IS NOT NULL AS ended
        FROM voice_call_attempts WHERE call_id IN ('L1', 'L2', 'L3') ORDER BY call_id, attempt`
      expect(attempts).toEqual([
        {
          callId: "L1",
          attempt: 1,
          callSid: null,
          status: "no_response",
          outcome: "no_response",
          ended: true,
        },
        {
          callId: "L1",
          attempt: 2,
          callSid: "sid-L1-2",
          status: "completed",
          outcome: "prep_time_set",
          ended: true,
        },
        {
          callId: "L2",
          attempt: 1,
          callSid: "sid-L2-1",
          status: "completed",
          outcome: "rejected",
          ended: true,
        },
        { callId: "L3", attempt: 1, callSid: "sid-L3-1", status: "busy", outcome: "busy", ended: true },
      ])
    }),
  )
})
