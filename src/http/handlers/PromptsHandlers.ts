// PUT, GET and DELETE /prompts: recorded prompts, checked and kept by RecordedPrompts.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { recordablePrompts } from "../../actors/recordablePrompts.js"
import { BadRequest, NotFound } from "../../domain/errors.js"
import { RecordedPrompts } from "../../stream/speech/RecordedPrompts.js"
import { GatewayApi } from "../GatewayApi.js"

export const PromptsHandlersLive = HttpApiBuilder.group(GatewayApi, "prompts", (handlers) =>
  Effect.map(RecordedPrompts, (prompts) =>
    handlers
      .handle("upload", ({ path, payload }) =>
        prompts
          .put(path.key, path.language, payload)
          .pipe(Effect.mapError((refused) => new BadRequest({ message: refused.message, field: "body" }))),
      )
      .handle("list", () =>
        Effect.map(prompts.list, (all) => ({ prompts: all, recordable: recordablePrompts() })),
      )
      .handle("remove", ({ path }) =>
        Effect.flatMap(prompts.remove(path.key, path.language), (removed) =>
          removed
            ? Effect.void
            : Effect.fail(new NotFound({ message: `no recording of ${path.key} in ${path.language}` })),
        ),
      ),
  ),
)
