// GET /templates/:purpose: the purpose's call script with the query's variables filled in.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { renderCallScript } from "../../domain/CallScripts.js"
import { GatewayApi } from "../GatewayApi.js"

export const TemplatesHandlersLive = HttpApiBuilder.group(GatewayApi, "templates", (handlers) =>
  Effect.succeed(
    handlers.handle("template", ({ path, urlParams }) =>
      Effect.succeed(renderCallScript(path.purpose, urlParams)),
    ),
  ),
)
