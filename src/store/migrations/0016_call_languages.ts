// The language a scheduled call's or a campaign's script is spoken in (issue 15): "hi" or "en". Rows from before
// it were spoken in English, which the default keeps.
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    ALTER TABLE scheduled_calls
      ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT 'en' CHECK (language IN ('hi', 'en'))`
  yield* sql`
    ALTER TABLE campaigns
      ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT 'en' CHECK (language IN ('hi', 'en'))`
})
