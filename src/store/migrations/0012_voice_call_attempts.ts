// Every attempt of a voice call on the record: a retry starts a new row, so an earlier attempt's no-answer stays.
// Calls made before this table get their attempts back from their event log (the earlier attempts' call sids
// were never kept), and those that ended `completed` after a decision get the decision as their status, as a
// call's status ends now.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE voice_call_attempts (
      call_id VARCHAR(255) NOT NULL REFERENCES voice_calls (id) ON DELETE CASCADE,
      attempt INTEGER NOT NULL,
      call_sid VARCHAR(255),
      status VARCHAR(50) NOT NULL,
      outcome VARCHAR(50),
      started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      ended_at TIMESTAMPTZ,
      PRIMARY KEY (call_id, attempt)
    )`
  yield* backfill
})

/** The calls made before the table: their decision as their status, and their attempts from their log. */
export const backfill = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    UPDATE voice_calls SET
      status = decided.status,
      metadata = jsonb_set(metadata, '{flow,status}', to_jsonb(decided.status))
    FROM (
      SELECT id, CASE
        WHEN prep_time_minutes IS NOT NULL THEN 'prep_time_set'
        ELSE metadata->'flow'->>'decision' END AS status
      FROM voice_calls
      WHERE status = 'completed' AND metadata->'flow'->>'phase' = 'ended'
        AND (prep_time_minutes IS NOT NULL OR metadata->'flow'->>'decision' IN ('accepted', 'rejected'))
    ) AS decided
    WHERE voice_calls.id = decided.id`
  // An earlier attempt ended with the last applied event before the retry that followed it.
  yield* sql`
    WITH retries AS (
      SELECT call_id, id, created_at,
        ROW_NUMBER() OVER (PARTITION BY call_id ORDER BY id) AS attempt,
        LAG(created_at) OVER (PARTITION BY call_id ORDER BY id) AS previous_retry_at
      FROM voice_call_events WHERE event = 'retry' AND applied
    )
    INSERT INTO voice_call_attempts (call_id, attempt, status, outcome, started_at, ended_at)
    SELECT r.call_id, r.attempt, last.status_after, last.status_after,
      COALESCE(r.previous_retry_at, v.initiated_at::timestamptz, r.created_at),
      last.created_at
    FROM retries r
    JOIN voice_calls v ON v.id = r.call_id
    CROSS JOIN LATERAL (
      SELECT e.status_after, e.created_at FROM voice_call_events e
      WHERE e.call_id = r.call_id AND e.applied AND e.id < r.id
      ORDER BY e.id DESC LIMIT 1
    ) AS last
    ON CONFLICT DO NOTHING`
  yield* sql`
    INSERT INTO voice_call_attempts (call_id, attempt, call_sid, status, outcome, started_at, ended_at)
    SELECT v.id, COALESCE(v.attempt_number, 1), v.call_sid,
      CASE WHEN v.ended_at IS NULL OR v.status IN ('failed', 'busy', 'no_response') THEN v.status
        ELSE 'completed' END,
      CASE WHEN v.ended_at IS NOT NULL THEN v.status END,
      COALESCE(
        (SELECT MAX(e.created_at) FROM voice_call_events e
         WHERE e.call_id = v.id AND e.event = 'retry' AND e.applied),
        v.initiated_at::timestamptz, v.created_at::timestamptz, NOW()),
      v.ended_at::timestamptz
    FROM voice_calls v
    ON CONFLICT DO NOTHING`
})
