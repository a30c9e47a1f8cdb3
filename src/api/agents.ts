// The agents who take campaign calls, and their availability.
// The request and response schemas; the endpoints are src/http/api/AgentsApi.ts.
import { Schema } from "effect"
import { PhoneNumber } from "../domain/PhoneNumber.js"

export const AgentView = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  phone: Schema.String,
  status: Schema.String,
  campaignId: Schema.NullOr(Schema.String),
  currentCallId: Schema.NullOr(Schema.String),
  updatedAt: Schema.String,
}).annotations({ identifier: "Agent" })

export const AgentCreate = Schema.Struct({
  name: Schema.String.pipe(
    Schema.filter((s) => s.trim().length >= 1 && s.length <= 100, {
      message: () => "must be 1 to 100 characters",
    }),
  ),
  phone: PhoneNumber,
  campaignId: Schema.optional(Schema.String),
}).annotations({ identifier: "AgentCreate", parseOptions: { errors: "all" } })

export const AgentStatusChange = Schema.Struct({
  status: Schema.Literal("free", "busy", "offline"),
  /** Assigns the agent to a campaign (null: to none). */
  campaignId: Schema.optional(Schema.NullOr(Schema.String)),
}).annotations({ identifier: "AgentStatusChange", parseOptions: { errors: "all" } })

export const AgentList = Schema.Struct({ agents: Schema.Array(AgentView) }).annotations({
  identifier: "AgentList",
})

/** Agents of one campaign, or all agents when none is named. */
export const AgentsQuery = Schema.Struct({ campaignId: Schema.optional(Schema.String) })
