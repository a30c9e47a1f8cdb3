// Campaigns and the auto-dialer: create, read, statistics, pause/resume/cancel, and preview decisions.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { CampaignRequest } from "../../domain/Campaign.js"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../../domain/errors.js"
import { JsonValue } from "../../domain/JsonValue.js"
import { Guard, requires } from "../Authentication.js"

export const CampaignView = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  type: Schema.String,
  template: Schema.NullOr(Schema.String),
  purpose: Schema.String,
  dialerType: Schema.String,
  schedule: Schema.String,
  retryConfig: JsonValue,
  pacing: JsonValue,
  errorRateBound: Schema.Number,
  callerId: Schema.String,
  agentLine: Schema.NullOr(Schema.String),
  priority: Schema.Number,
  tags: Schema.Array(Schema.String),
  status: Schema.String,
  statusReason: Schema.NullOr(Schema.String),
  totalContacts: Schema.Number,
  createdAt: Schema.String,
  updatedAt: Schema.String,
}).annotations({ identifier: "Campaign" })

export const CampaignStatsView = Schema.Struct({
  campaignId: Schema.String,
  status: Schema.String,
  total: Schema.Number,
  dialled: Schema.Number,
  /**
   * Attempts claimed by a process that died before Exotel answered, settled without knowing whether they were
   * dialled (by versions before crashed placements were looked up at Exotel; now none).
   */
  uncertain: Schema.Number,
  /** Attempts whose placing process died before Exotel answered, and whose call was found at Exotel. */
  adopted: Schema.Number,
  /** Attempts whose placing process died before its request reached Exotel, placed again for the same attempt. */
  redialled: Schema.Number,
  answered: Schema.Number,
  completed: Schema.Number,
  failed: Schema.Number,
  abandoned: Schema.Number,
  skipped: Schema.Number,
  pending: Schema.Number,
  answerRate: Schema.Number,
  abandonRate: Schema.Number,
  progress: Schema.Number,
}).annotations({ identifier: "CampaignStats" })

export const PreviewContactView = Schema.Struct({
  contactId: Schema.String,
  phone: Schema.String,
  name: Schema.NullOr(Schema.String),
  message: Schema.NullOr(Schema.String),
  metadata: JsonValue,
  attempts: Schema.Number,
}).annotations({ identifier: "PreviewContact" })

export const PreviewDecision = Schema.Struct({
  agentId: Schema.String.pipe(Schema.minLength(1, { message: () => "must not be empty" })),
  contactId: Schema.String.pipe(Schema.pattern(/^[0-9]+$/, { message: () => "must be a contact id" })),
  decision: Schema.Literal("accept", "skip"),
}).annotations({ identifier: "PreviewDecision", parseOptions: { errors: "all" } })

export const CampaignList = Schema.Struct({ campaigns: Schema.Array(CampaignView) }).annotations({
  identifier: "CampaignList",
})

/** The next contact waiting for an agent's decision; null when none is due. */
export const PreviewOffer = Schema.Struct({ contact: Schema.NullOr(PreviewContactView) }).annotations({
  identifier: "PreviewOffer",
})

export const PreviewDecided = Schema.Struct({
  contactId: Schema.String,
  decision: Schema.String,
}).annotations({
  identifier: "PreviewDecided",
})

const idParam = HttpApiSchema.param("id", Schema.String)

const commandPath = Schema.Struct({ id: Schema.String })

export const CampaignsApi = HttpApiGroup.make("campaigns")
  .add(
    HttpApiEndpoint.post("pause", "/campaigns/:id/pause")
      .annotate(OpenApi.Summary, "Pause a campaign")
      .setPath(commandPath)
      .addSuccess(CampaignView)
      .addError(NotFound)
      .addError(Conflict)
      .pipe(requires("operator"))
      .annotate(OpenApi.Description, "Stops dialing; calls already placed finish and are recorded."),
  )
  .add(
    HttpApiEndpoint.post("resume", "/campaigns/:id/resume")
      .annotate(OpenApi.Summary, "Resume a campaign")
      .setPath(commandPath)
      .addSuccess(CampaignView)
      .addError(NotFound)
      .addError(Conflict)
      .pipe(requires("operator"))
      .annotate(OpenApi.Description, "Dials again; the error rate is measured afresh from now."),
  )
  .add(
    HttpApiEndpoint.post("cancel", "/campaigns/:id/cancel")
      .annotate(OpenApi.Summary, "Cancel a campaign")
      .setPath(commandPath)
      .addSuccess(CampaignView)
      .addError(NotFound)
      .addError(Conflict)
      .pipe(requires("operator"))
      .annotate(OpenApi.Description, "Stops for good; contacts not yet done stay undialled."),
  )
  .add(
    HttpApiEndpoint.post("create", "/campaigns")
      .annotate(OpenApi.Summary, "Create a campaign")
      .setPayload(CampaignRequest)
      .addSuccess(CampaignView, { status: 201 })
      .addError(BadRequest)
      .addError(Unprocessable)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "The seed's body with contacts inline (up to 100,000). `{{name}}` and metadata keys in `template` are " +
          "filled in per contact. Dialing starts at `schedule`, inside the purpose's allowed hours.",
      ),
  )
  .add(
    HttpApiEndpoint.get("list", "/campaigns")
      .annotate(OpenApi.Summary, "List the campaigns")
      .addSuccess(CampaignList)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.get("get")`/campaigns/${idParam}`
      .annotate(OpenApi.Summary, "Read a campaign")
      .addSuccess(CampaignView)
      .addError(NotFound)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.get("stats")`/campaigns/${idParam}/stats`
      .annotate(OpenApi.Summary, "Read a campaign's statistics")
      .addSuccess(CampaignStatsView)
      .addError(NotFound)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "dialled: calls Exotel accepted; answered: calls answered (connected or abandoned); failed: contacts " +
          "done without a completed call; abandoned ÷ answered is the abandon rate; progress is done ÷ total.",
      ),
  )
  .add(
    HttpApiEndpoint.get("nextPreview")`/campaigns/${idParam}/preview`
      .annotate(OpenApi.Summary, "Offer the next preview contact")
      .addSuccess(PreviewOffer)
      .addError(NotFound)
      .addError(Conflict)
      .pipe(requires("operator"))
      .annotate(OpenApi.Description, "Preview dialing: the next due contact an agent may accept or skip."),
  )
  .add(
    HttpApiEndpoint.post("decidePreview")`/campaigns/${idParam}/preview`
      .annotate(OpenApi.Summary, "Accept or skip a preview contact")
      .setPayload(PreviewDecision)
      .addSuccess(PreviewDecided)
      .addError(BadRequest)
      .addError(NotFound)
      .addError(Conflict)
      .pipe(requires("operator"))
      .annotate(
        OpenApi.Description,
        "An agent accepts (the contact is dialled for them, and they are busy until the call ends) or skips a contact.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Campaigns")
  .annotate(
    OpenApi.Description,
    "Outbound campaigns run by the auto-dialer (preview, progressive, predictive, PACE or agentless).",
  )
