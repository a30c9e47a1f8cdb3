// Calls, SMS, masked numbers and WhatsApp messages placed through Exotel, the status changes Exotel reports
// for them, and the idempotency keys clients send. Each row is written before Exotel is asked.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE calls (
      id VARCHAR(40) PRIMARY KEY,
      call_sid VARCHAR(64) UNIQUE,
      kind VARCHAR(20) NOT NULL,
      direction VARCHAR(10) NOT NULL DEFAULT 'outbound' CHECK (direction IN ('inbound', 'outbound')),
      status VARCHAR(20) NOT NULL,
      from_number VARCHAR(20) NOT NULL,
      to_number VARCHAR(20),
      caller_id VARCHAR(20),
      purpose VARCHAR(40),
      reason VARCHAR(200),
      order_id VARCHAR(100),
      custom_field VARCHAR(128),
      record BOOLEAN NOT NULL DEFAULT FALSE,
      time_limit INTEGER,
      client_callback TEXT,
      callback_token VARCHAR(64) NOT NULL,
      recording_url TEXT,
      duration_seconds INTEGER,
      error TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      ended_at TIMESTAMPTZ
    )`
  // GET /calls pages newest first by (created_at, id); each filter has an index that keeps that order, and
  // the phone filter (from or to) is a BitmapOr of the two number indexes.
  yield* sql`CREATE INDEX calls_created_idx ON calls (created_at DESC, id DESC)`
  yield* sql`CREATE INDEX calls_status_created_idx ON calls (status, created_at DESC, id DESC)`
  yield* sql`CREATE INDEX calls_direction_created_idx ON calls (direction, created_at DESC, id DESC)`
  yield* sql`CREATE INDEX calls_from_created_idx ON calls (from_number, created_at DESC, id DESC)`
  yield* sql`CREATE INDEX calls_to_created_idx ON calls (to_number, created_at DESC, id DESC)`
  // Status callbacks find their call by the token in their URL.
  yield* sql`CREATE UNIQUE INDEX calls_callback_token_idx ON calls (callback_token)`
  yield* sql`
    CREATE TABLE sms_messages (
      id VARCHAR(40) PRIMARY KEY,
      sms_sid VARCHAR(64) UNIQUE,
      bulk_id VARCHAR(40),
      to_number VARCHAR(20) NOT NULL,
      sender VARCHAR(40),
      body TEXT NOT NULL,
      sms_type VARCHAR(30) NOT NULL,
      encoding VARCHAR(10) NOT NULL,
      segments INTEGER NOT NULL,
      dlt_entity_id VARCHAR(40),
      dlt_template_id VARCHAR(40),
      template_id VARCHAR(100),
      priority VARCHAR(10) NOT NULL DEFAULT 'normal',
      custom_field VARCHAR(128),
      client_callback TEXT,
      callback_token VARCHAR(64) NOT NULL,
      status VARCHAR(30) NOT NULL,
      detailed_status VARCHAR(60),
      error TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  // A bulk shares one callback token; a callback that outruns the answer is matched by token and recipient.
  yield* sql`CREATE INDEX sms_messages_callback_idx ON sms_messages (callback_token, to_number)`
  yield* sql`CREATE INDEX sms_messages_bulk_idx ON sms_messages (bulk_id) WHERE bulk_id IS NOT NULL`
  yield* sql`
    CREATE TABLE number_masks (
      id VARCHAR(40) PRIMARY KEY,
      party_a VARCHAR(20) NOT NULL,
      party_b VARCHAR(20) NOT NULL,
      virtual_number VARCHAR(20),
      greenvn_id VARCHAR(64),
      call_type VARCHAR(10) NOT NULL,
      context VARCHAR(200),
      status VARCHAR(20) NOT NULL,
      error TEXT,
      expires_at TIMESTAMPTZ NOT NULL,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  yield* sql`CREATE INDEX number_masks_expires_idx ON number_masks (expires_at) WHERE status = 'active'`
  yield* sql`
    CREATE TABLE whatsapp_messages (
      id VARCHAR(40) PRIMARY KEY,
      sid VARCHAR(64) UNIQUE,
      to_number VARCHAR(20) NOT NULL,
      template_name VARCHAR(100) NOT NULL,
      language_code VARCHAR(10) NOT NULL,
      variables JSONB NOT NULL,
      status VARCHAR(20) NOT NULL,
      error TEXT,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`
  // One row per (resource, status): a repeated callback inserts nothing and so changes nothing.
  yield* sql`
    CREATE TABLE upstream_status_events (
      resource VARCHAR(10) NOT NULL,
      sid VARCHAR(64) NOT NULL,
      status VARCHAR(30) NOT NULL,
      payload JSONB NOT NULL,
      received_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      PRIMARY KEY (resource, sid, status)
    )`
  yield* sql`
    CREATE TABLE idempotency_keys (
      endpoint VARCHAR(60) NOT NULL,
      key VARCHAR(200) NOT NULL,
      response JSONB,
      created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
      PRIMARY KEY (endpoint, key)
    )`
})
