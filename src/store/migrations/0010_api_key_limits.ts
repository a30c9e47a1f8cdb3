// An API key's own request rate, set when it is issued: both columns or neither (then its role's rate applies).
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    ALTER TABLE api_keys
      ADD COLUMN rate_per_second DOUBLE PRECISION CHECK (rate_per_second > 0),
      ADD COLUMN rate_burst INTEGER CHECK (rate_burst >= 1),
      ADD CONSTRAINT api_keys_rate_whole CHECK ((rate_per_second IS NULL) = (rate_burst IS NULL))`
})
