// GET /templates/:purpose: the purpose's call script in the language asked for, the query's variables filled in.
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { renderCallScript } from "../../domain/CallScripts.js"
import { GatewayApi } from "../GatewayApi.js"

export const TemplatesHandlersLive = HttpApiBuilder.group(GatewayApi, "templates", (handlers) =>
  Effect.succeed(
    handlers.handle("template", ({ path, urlParams: { language = "en", ...variables } }) =>
      Effect.succeed({ ...renderCallScript(path.purpose, language, variables), language }),
    ),
  ),
)
