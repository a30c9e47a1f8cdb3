// POST /voice-ordering: the seed's voice-order actions (start, confirm, cancel, modify) over a persisted
// order session. The gateway computes the total; a client total is only checked against it.
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { VoiceOrderRequest, VoiceOrderResponse } from "../../api/voiceOrdering.js"
import { BadRequest, Conflict, NotFound, Unprocessable } from "../../domain/errors.js"
import { Guard, requires } from "../Authentication.js"

export const VoiceOrderingApi = HttpApiGroup.make("voiceOrdering")
  .add(
    HttpApiEndpoint.post("act", "/voice-ordering")
      .annotate(OpenApi.Summary, "Start, change, confirm or cancel a voice order")
      .setPayload(VoiceOrderRequest)
      .addSuccess(VoiceOrderResponse)
      .addError(BadRequest)
      .addError(NotFound)
      .addError(Conflict)
      .addError(Unprocessable)
      .annotate(
        OpenApi.Description,
        "start needs phone and orderData.items; modify needs sessionId and orderData.items; confirm and " +
          "cancel need sessionId. A total that disagrees with the items is 422; a second confirm, or any " +
          "action on a cancelled order, is 409. A placed order may still be cancelled.",
      )
      .pipe(requires("operator")),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Voice ordering")
  .annotate(OpenApi.Description, "Orders taken by phone: started, changed, confirmed or cancelled.")
