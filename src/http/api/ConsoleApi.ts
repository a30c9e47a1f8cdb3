// GET /console/session and GET /console/events: what the operations console at /console reads.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { ConsoleSession } from "../../api/console.js"
import { Guard, requires } from "../Authentication.js"

export const ConsoleApi = HttpApiGroup.make("console")
  .add(
    HttpApiEndpoint.get("session", "/console/session")
      .annotate(OpenApi.Summary, "Read the role of the token the console signed in with")
      .addSuccess(ConsoleSession)
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "The role and key id of the bearer token, so the console offers only what the role may do.",
      ),
  )
  .add(
    HttpApiEndpoint.get("events", "/console/events")
      .annotate(OpenApi.Summary, "Follow live calls as Server-Sent Events")
      .addSuccess(HttpApiSchema.Text({ contentType: "text/event-stream" }))
      .pipe(requires("viewer"))
      .annotate(
        OpenApi.Description,
        "A `text/event-stream` of `ConsoleEvent`s, one JSON object per `data:` line: every status change of a " +
          "call in the calls table (`CallStatus`), every step of a Nerve call's flow with the key pressed and the " +
          "prompt started (`VoiceCallStep`), and every domain event of a Nerve call or an order " +
          "(`Domain`). It opens with the calls live at that moment (not ended, placed in the last two hours). A comment line every 15 s keeps proxies from closing it.",
      ),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Console")
  .annotate(OpenApi.Description, "The operations console's session and its live event stream.")
