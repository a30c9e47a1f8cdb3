// Campaigns and the auto-dialer: create, read, statistics, pause/resume/cancel, and preview decisions.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  CampaignList,
  CampaignStatsView,
  CampaignsRateBudget,
  CampaignView,
  PreviewDecided,
  PreviewDecision,
  PreviewOffer,
} from "../../api/campaigns.js"
import { CampaignRequest } from "../../domain/Campaign.js"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

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
    HttpApiEndpoint.get("rateBudget", "/campaigns/rate-budget")
      .annotate(OpenApi.Summary, "Read the campaigns' share of the Exotel rate budget")
      .addSuccess(CampaignsRateBudget)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "Per active campaign (and any other that dialled in the window), the Exotel call requests it made in the " +
          "last 60 s and their share of the per-minute limit, with the total the gateway's calls used. Counted " +
          "from the recorded calls, one request per call placed; SMS, WhatsApp and look-ups are not counted.",
      ),
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
