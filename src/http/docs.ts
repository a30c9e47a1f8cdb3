// The OpenAPI document and its Swagger UI page, each built on its first request. Built with the routes, as
// @effect/platform's own routes are, they were ~100 ms of every restart for pages a person opens now and then.
import { HttpApiSwagger, HttpLayerRouter, HttpServerResponse, OpenApi } from "@effect/platform"
import { Effect, Layer, Scope } from "effect"
import { GatewayApi } from "./GatewayApi.js"

export const openApiPath = "/api/docs/openapi.json"
export const docsPath = "/api/docs"

export const DocsRoutes = Layer.unwrapScoped(
  Effect.gen(function* () {
    const scope = yield* Effect.scope
    // A router of its own: inside a request, the gateway's memo map would hand back the gateway's router, which
    // already serves this path.
    const swaggerPage = yield* Effect.cached(
      Effect.flatMap(Layer.makeMemoMap, (memoMap) =>
        HttpLayerRouter.toHttpEffect(
          HttpApiSwagger.layerHttpLayerRouter({ api: GatewayApi, path: docsPath }),
        ).pipe(
          Effect.provideService(Scope.Scope, scope),
          Effect.provideService(Layer.CurrentMemoMap, memoMap),
        ),
      ),
    )
    return HttpLayerRouter.addAll([
      // fromApi keeps the document it made for this api, so it is built once.
      HttpLayerRouter.route(
        "GET",
        openApiPath,
        Effect.sync(() => HttpServerResponse.unsafeJson(OpenApi.fromApi(GatewayApi))),
      ),
      HttpLayerRouter.route("GET", docsPath, Effect.flatten(swaggerPage)),
    ])
  }),
)
