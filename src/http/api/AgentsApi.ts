// The agents who take campaign calls, and their availability.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { BadRequest, NotFound } from "../../domain/errors.js"
import { PhoneNumber } from "../../domain/PhoneNumber.js"
import { Guard, requires } from "../Authentication.js"

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

const idParam = HttpApiSchema.param("id", Schema.String)

export const AgentsApi = HttpApiGroup.make("agents")
  .add(
    HttpApiEndpoint.post("create", "/agents")
      .annotate(OpenApi.Summary, "Add an agent")
      .setPayload(AgentCreate)
      .addSuccess(AgentView, { status: 201 })
      .addError(BadRequest)
      .addError(NotFound)
      .pipe(requires("operator")),
  )
  .add(
    HttpApiEndpoint.get("list", "/agents")
      .annotate(OpenApi.Summary, "List the agents")
      .setUrlParams(AgentsQuery)
      .addSuccess(AgentList)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.put("setStatus")`/agents/${idParam}/status`
      .annotate(OpenApi.Summary, "Set an agent's status")
      .setPayload(AgentStatusChange)
      .addSuccess(AgentView)
      .addError(BadRequest)
      .addError(NotFound)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "Free, busy or offline; a free agent is offered the next answered call.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Agents")
  .annotate(OpenApi.Description, "The agents campaign calls are bridged to, and whether each is free.")
