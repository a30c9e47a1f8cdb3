// GET /timing/check: may we call or text now, and if not, when?
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { CallPurpose } from "../../domain/CallPurpose.js"
import { Channel } from "../../domain/Timing.js"
import { Guard, requires } from "../Authentication.js"

export const TimingDecisionView = Schema.Struct({
  canCall: Schema.Boolean,
  canSms: Schema.Boolean,
  canPromoSms: Schema.Boolean,
  reason: Schema.NullOr(Schema.String),
  nextAvailableTime: Schema.NullOr(Schema.String),
  currentTime: Schema.String,
  timezone: Schema.String,
}).annotations({ identifier: "TimingDecision" })

export const TimingApi = HttpApiGroup.make("timing")
  .add(
    HttpApiEndpoint.get("check", "/timing/check")
      .annotate(OpenApi.Summary, "Check whether a call or SMS is allowed now")
      .setUrlParams(
        Schema.Struct({
          purpose: Schema.optional(CallPurpose),
          channel: Schema.optional(Channel),
        }).annotations({
          parseOptions: { errors: "all" },
        }),
      )
      .addSuccess(TimingDecisionView)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Whether a call or SMS for the purpose is allowed now; `reason` and `nextAvailableTime` answer for " +
          "`channel` (default `call`). Transactional purposes are allowed at any hour.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Timing")
  .annotate(
    OpenApi.Description,
    "The timing rules applied to an instant: business hours, the DND window, the promotional SMS window.",
  )
