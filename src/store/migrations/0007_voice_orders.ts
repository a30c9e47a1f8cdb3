// Voice ordering: one row per order session (its items, the total the gateway computed, a version that
// guards against two writers) and the append-only log of every accepted action and the channel it came by.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE voice_orders (
      session_id VARCHAR(100) PRIMARY KEY,
      phone VARCHAR(20) NOT NULL,
      status VARCHAR(20) NOT NULL,
      items JSONB NOT NULL,
      total NUMERIC(12, 2) NOT NULL,
      version INTEGER NOT NULL,
      call_sid VARCHAR(255),
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      placed_at TIMESTAMPTZ,
      cancelled_at TIMESTAMPTZ
    )`
  yield* sql`CREATE INDEX voice_orders_phone_idx ON voice_orders (phone, created_at)`
  yield* sql`
    CREATE TABLE voice_order_events (
      id BIGSERIAL PRIMARY KEY,
      session_id VARCHAR(100) NOT NULL REFERENCES voice_orders (session_id),
      action VARCHAR(20) NOT NULL,
      channel VARCHAR(10) NOT NULL,
      call_sid VARCHAR(255),
      status_after VARCHAR(20) NOT NULL,
      total_after NUMERIC(12, 2) NOT NULL,
      version_after INTEGER NOT NULL,
      detail JSONB,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  yield* sql`CREATE INDEX voice_order_events_session_idx ON voice_order_events (session_id, id)`
})
