// WhatsApp delivery reports: each message carries its own callback token (like calls and SMS) and, when the
// client gave one, the URL its statuses are forwarded to.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    ALTER TABLE whatsapp_messages
      ADD COLUMN callback_token VARCHAR(64),
      ADD COLUMN client_callback TEXT,
      ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()`
  yield* sql`CREATE UNIQUE INDEX whatsapp_messages_token_idx ON whatsapp_messages (callback_token)`
})
