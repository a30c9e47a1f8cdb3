// A version on each voice call's row (issue 17): a session's commit names the version it read and is refused when
// another wrote first. Two sessions of one call (a callback handled by another process, a session restarted while
// the old one still finished a step) no longer overwrite each other's state: the later reloads and applies its
// event to what the other wrote.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE voice_calls ADD COLUMN version INTEGER NOT NULL DEFAULT 0`
})
