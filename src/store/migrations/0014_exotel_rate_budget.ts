// The Exotel account's request budget, one row per account, shared by every gateway process on the database:
// Exotel counts the account's requests, not one process's (docs/exotel-upstream.md, "The account's budget").
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE exotel_rate_budget (
      account VARCHAR(128) PRIMARY KEY,
      tokens DOUBLE PRECISION NOT NULL,
      counted_at BIGINT NOT NULL,
      version BIGINT NOT NULL DEFAULT 0
    )`
})
