// What each scripted call (a scheduled call's or an agentless campaign's) came to: whether the callee stayed to
// the end, the rating a feedback request collected, and every key pressed.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE call_script_results (
      call_id VARCHAR(64) PRIMARY KEY,
      purpose VARCHAR(30) NOT NULL,
      ended_by VARCHAR(10) NOT NULL CHECK (ended_by IN ('gateway', 'callee')),
      rating INTEGER CHECK (rating BETWEEN 1 AND 5),
      keys VARCHAR(40) NOT NULL DEFAULT '',
      at TIMESTAMPTZ NOT NULL
    )`
})
