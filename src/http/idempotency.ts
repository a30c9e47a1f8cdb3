// Idempotency-Key: the first request with a key runs and its answer is kept; a repeat gets that answer and
// causes no second call or message. A key whose request failed is freed, so the client may try again.
import { Schema } from "effect"

export const IdempotencyHeaders = Schema.Struct({
  "idempotency-key": Schema.optional(
    Schema.String.pipe(
      Schema.minLength(1),
      Schema.maxLength(200, { message: () => "must be at most 200 characters" }),
    ),
  ),
})

export { idempotent } from "../services/idempotent.js"
