// A stream expectation names the order its stream may talk about: a flow-opened stream never takes an order
// from its own URL (exotel-protocol.md decision 14), so the order comes from POST /voice-stream/start.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    ALTER TABLE voice_stream_sessions
      ADD COLUMN order_id INTEGER,
      ADD COLUMN order_session_id VARCHAR(100)`
})
