// The errors a caller can act on. Each carries its HTTP status, so no handler builds an error response by hand.
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

export class BadRequest extends Schema.TaggedError<BadRequest>()(
  "BadRequest",
  { message: Schema.String, field: Schema.optional(Schema.String) },
  HttpApiSchema.annotations({ status: 400 }),
) {}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()(
  "Unauthorized",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 401 }),
) {}

export class Forbidden extends Schema.TaggedError<Forbidden>()(
  "Forbidden",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 403 }),
) {}

export class NotFound extends Schema.TaggedError<NotFound>()(
  "NotFound",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 404 }),
) {}

export class Conflict extends Schema.TaggedError<Conflict>()(
  "Conflict",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 409 }),
) {}

export class Unprocessable extends Schema.TaggedError<Unprocessable>()(
  "Unprocessable",
  {
    message: Schema.String,
    field: Schema.optional(Schema.String),
    nextAvailableTime: Schema.optional(Schema.NullOr(Schema.String)),
  },
  HttpApiSchema.annotations({ status: 422 }),
) {}

export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  "ServiceUnavailable",
  {
    message: Schema.String,
    /** When to ask again, if the gateway knows; the answer's Retry-After header says the same. */
    retryAfterSeconds: Schema.optional(Schema.Number),
  },
  HttpApiSchema.annotations({ status: 503 }),
) {}

/** Exotel refused the request (a 4xx RestException); its status and code are passed on for the caller to act on. */
export class UpstreamRejected extends Schema.TaggedError<UpstreamRejected>()(
  "UpstreamRejected",
  {
    message: Schema.String,
    upstreamStatus: Schema.Number,
    code: Schema.NullOr(Schema.Union(Schema.Number, Schema.String)),
  },
  HttpApiSchema.annotations({ status: 422 }),
) {}

/** Past the caller's request rate: the Retry-After header, and `retryAfterSeconds`, say when to come back. */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()(
  "TooManyRequests",
  { message: Schema.String, retryAfterSeconds: Schema.Number },
  HttpApiSchema.annotations({ status: 429 }),
) {}
