// Scheduled calls, durable: the call to make and when, and every decision the dispatcher took about it.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE scheduled_calls (
      id VARCHAR(64) PRIMARY KEY,
      phone VARCHAR(20) NOT NULL,
      purpose VARCHAR(30) NOT NULL,
      priority INTEGER NOT NULL,
      context JSONB NOT NULL,
      use_verified_call BOOLEAN NOT NULL,
      retry_config JSONB NOT NULL,
      preferred_time TIMESTAMPTZ,
      scheduled_for TIMESTAMPTZ NOT NULL,
      moved_because TEXT,
      status VARCHAR(20) NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,
      current_call_id VARCHAR(64),
      claimed_by VARCHAR(64),
      claimed_at TIMESTAMPTZ,
      last_outcome VARCHAR(20),
      created_at TIMESTAMPTZ NOT NULL,
      updated_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ
    )`
  // The claim query: pending rows that are due, most urgent first.
  yield* sql`CREATE INDEX scheduled_calls_due_idx ON scheduled_calls (status, scheduled_for, priority)`
  yield* sql`
    CREATE TABLE scheduled_call_attempts (
      id BIGSERIAL PRIMARY KEY,
      scheduled_call_id VARCHAR(64) NOT NULL REFERENCES scheduled_calls (id),
      attempt INTEGER NOT NULL,
      decision VARCHAR(20) NOT NULL,
      call_id VARCHAR(64),
      outcome VARCHAR(20),
      next_at TIMESTAMPTZ,
      detail TEXT,
      at TIMESTAMPTZ NOT NULL
    )`
  yield* sql`CREATE INDEX scheduled_call_attempts_call_idx ON scheduled_call_attempts (scheduled_call_id, id)`
  yield* sql`CREATE INDEX scheduled_call_attempts_at_idx ON scheduled_call_attempts (at)`
})
