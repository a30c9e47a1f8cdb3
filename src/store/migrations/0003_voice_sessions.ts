// Live call sessions: the append-only event log of every voice call, the webhook outbox, the expectations
// POST /voice-stream/start registers, and the indexes the Nerve endpoints read by.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE voice_call_events (
      id BIGSERIAL PRIMARY KEY,
      call_id VARCHAR(255) NOT NULL,
      event VARCHAR(50) NOT NULL,
      source VARCHAR(20) NOT NULL,
      detail JSONB,
      applied BOOLEAN NOT NULL,
      status_after VARCHAR(50) NOT NULL,
      dedup_key VARCHAR(128),
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  yield* sql`CREATE INDEX voice_call_events_call_idx ON voice_call_events (call_id, id)`
  // A callback delivered twice carries the same key; the second insert is a no-op, so it changes nothing.
  yield* sql`
    CREATE UNIQUE INDEX voice_call_events_dedup_idx ON voice_call_events (call_id, dedup_key)
    WHERE dedup_key IS NOT NULL`
  yield* sql`CREATE INDEX voice_calls_order_idx ON voice_calls (order_id)`
  yield* sql`CREATE INDEX voice_calls_call_sid_idx ON voice_calls (call_sid)`
  yield* sql`CREATE INDEX voice_calls_created_idx ON voice_calls (created_at)`
  yield* sql`
    CREATE TABLE webhook_outbox (
      id BIGSERIAL PRIMARY KEY,
      event_id VARCHAR(64) NOT NULL,
      url TEXT NOT NULL,
      event_type VARCHAR(50) NOT NULL,
      payload JSONB NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      delivered_at TIMESTAMPTZ,
      failed_at TIMESTAMPTZ,
      last_error TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      UNIQUE (event_id, url)
    )`
  yield* sql`
    CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at)
    WHERE delivered_at IS NULL AND failed_at IS NULL`
  yield* sql`
    CREATE TABLE voice_stream_sessions (
      session_id VARCHAR(255) PRIMARY KEY,
      phone VARCHAR(20) NOT NULL,
      language VARCHAR(10) NOT NULL,
      flow VARCHAR(50) NOT NULL,
      call_sid VARCHAR(255),
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      claimed_at TIMESTAMPTZ
    )`
})
