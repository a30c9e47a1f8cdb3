// Recorded prompts: upload a WAV per prompt key and language, list them, remove one.
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Recording, Recordings } from "../../api/prompts.js"
import { BadRequest, NotFound } from "../../domain/errors.js"
import { RecordedPromptKey } from "../../domain/RecordedPrompt.js"
import { Language } from "../../domain/VoiceCall.js"
import { Guard, requires } from "../Authentication.js"
import { TakesAudio } from "../audioBodies.js"

const key = HttpApiSchema.param("key", RecordedPromptKey)
const language = HttpApiSchema.param("language", Language)

export const PromptsApi = HttpApiGroup.make("prompts")
  .add(
    HttpApiEndpoint.put("upload")`/prompts/${key}/${language}`
      .annotate(OpenApi.Summary, "Record a prompt")
      .setPayload(HttpApiSchema.Uint8Array({ contentType: "audio/wav" }))
      .annotate(TakesAudio, true)
      .addSuccess(Recording)
      .addError(BadRequest)
      .annotate(
        OpenApi.Description,
        "The body is a WAV file: 16-bit PCM, mono or stereo, 8,000 to 48,000 Hz, at most 30 seconds. It is " +
          "resampled once to every stream rate and played instead of the synthesized prompt in that language " +
          "from the next call on; a second upload replaces the first. Anything else is refused with 400 and " +
          "what was wrong.",
      ),
  )
  .add(
    HttpApiEndpoint.get("list")`/prompts`
      .annotate(OpenApi.Summary, "List the recorded prompts")
      .addSuccess(Recordings)
      .pipe(requires("viewer")),
  )
  .add(
    HttpApiEndpoint.del("remove")`/prompts/${key}/${language}`
      .annotate(OpenApi.Summary, "Remove a recorded prompt: the prompt is synthesized again")
      .addSuccess(HttpApiSchema.NoContent)
      .addError(NotFound),
  )
  .middleware(Guard)
  .annotate(OpenApi.Title, "Prompts")
  .annotate(
    OpenApi.Description,
    "Recorded prompts, as IVRs use them: the admin's own voice for the prompts whose words never change.",
  )
