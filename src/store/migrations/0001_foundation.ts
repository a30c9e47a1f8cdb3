// Settings, the seed's voice_calls table exactly as the seed gives it, and API keys.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE system_settings (
      key VARCHAR(100) PRIMARY KEY,
      value TEXT NOT NULL,
      category VARCHAR(50) NOT NULL DEFAULT 'exotel',
      encrypted BOOLEAN NOT NULL DEFAULT FALSE,
      updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  yield* sql`CREATE INDEX system_settings_category_idx ON system_settings (category)`
  yield* sql`
    CREATE TABLE voice_calls (
      id VARCHAR(255) PRIMARY KEY,
      call_type VARCHAR(50) NOT NULL,
      status VARCHAR(50) NOT NULL,
      order_id INTEGER,
      vendor_id INTEGER,
      rider_id INTEGER,
      phone_number VARCHAR(20) NOT NULL,
      recipient_name VARCHAR(255),
      call_sid VARCHAR(255),
      dtmf_digits VARCHAR(10),
      prep_time_minutes INTEGER,
      rejection_reason VARCHAR(100),
      recording_url TEXT,
      language VARCHAR(10) DEFAULT 'hi',
      attempt_number INTEGER DEFAULT 1,
      max_attempts INTEGER DEFAULT 3,
      initiated_at TIMESTAMP DEFAULT NOW(),
      answered_at TIMESTAMP,
      ended_at TIMESTAMP,
      duration_seconds INTEGER,
      metadata JSONB,
      created_at TIMESTAMP DEFAULT NOW(),
      updated_at TIMESTAMP DEFAULT NOW()
    )`
  yield* sql`
    CREATE TABLE api_keys (
      id VARCHAR(40) PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      role VARCHAR(20) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
      token_hash CHAR(64) NOT NULL UNIQUE,
      token_prefix VARCHAR(24) NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      revoked_at TIMESTAMPTZ
    )`
})
