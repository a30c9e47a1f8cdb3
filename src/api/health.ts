// GET /health: open to load balancers and to Exotel's own checks; says which database and upstream are used.
// The request and response schemas; the endpoints are src/http/api/HealthApi.ts.
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { Features } from "../domain/Features.js"

export const DatabaseModeSchema = Schema.Literal("embedded", "postgres")
export const UpstreamModeSchema = Schema.Literal("simulator", "exotel")

export const Health = Schema.Struct({
  enabled: Schema.Boolean,
  features: Features,
  status: Schema.Literal("ok"),
  serviceUrl: Schema.NullOr(Schema.String),
  database: DatabaseModeSchema,
  upstream: UpstreamModeSchema,
}).annotations({ identifier: "Health" })

export class HealthUnavailable extends Schema.TaggedError<HealthUnavailable>()(
  "HealthUnavailable",
  {
    status: Schema.Literal("unavailable"),
    reason: Schema.String,
    database: DatabaseModeSchema,
    upstream: Schema.NullOr(UpstreamModeSchema),
  },
  HttpApiSchema.annotations({ status: 503 }),
) {}
