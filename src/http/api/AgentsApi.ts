// The agents who take campaign calls, and their availability.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { AgentCreate, AgentList, AgentStatusChange, AgentsQuery, AgentView } from "../../api/agents.js"
import { BadRequest, NotFound } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

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
