// The gateway on a known free loopback port, so its PUBLIC_BASE_URL (and so every stream and callback URL it
// hands out) points at itself, with the voice settings a test chooses.
import { type AddressInfo, createServer as createTcpServer } from "node:net"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Layer, Logger, LogLevel, Option, type Scope } from "effect"
import type { GatewayEnvShape } from "../../src/config/Env.js"
import { makeVoiceConfig, VoiceConfig, type VoiceConfigShape } from "../../src/config/VoiceConfig.js"
import { ServeRoutesLive } from "../../src/gateway.js"
import { NodeServerLive } from "../../src/http/NodeServer.js"
import type { DatabaseTarget } from "../../src/store/Database.js"
import { streamAuth, TestCoreLive } from "./testGateway.js"

export const freePort = Effect.async<number>((resume) => {
  const probe = createTcpServer()
  probe.listen(0, "127.0.0.1", () => {
    const { port } = probe.address() as AddressInfo
    probe.close(() => resume(Effect.succeed(port)))
  })
})

export class GatewayUrl extends Effect.Tag("GatewayUrl")<
  GatewayUrl,
  {
    readonly http: string
    readonly ws: string
    /** The voice stream as an Exotel dashboard flow dials it: ws://KEY:TOKEN@host/…, sent as Basic auth. */
    readonly stream: string
  }
>() {}

export const VoiceTestGateway = (
  env: (base: string) => Partial<GatewayEnvShape> = () => ({}),
  voice: Partial<VoiceConfigShape> = {},
  target?: Effect.Effect<DatabaseTarget, never, Scope.Scope>,
) =>
  Layer.unwrapEffect(
    Effect.map(freePort, (port) => {
      const base = `http://127.0.0.1:${port}`
      const served = ServeRoutesLive.pipe(
        Layer.provideMerge(NodeServerLive({ port, host: "127.0.0.1" }, "1 second")),
        Layer.provideMerge(
          // Exotel calls only from an ExoPhone (CallerId is required): a deployment that places voice calls has one.
          TestCoreLive(
            { publicBaseUrl: base, defaultExoPhone: Option.some("08040000000"), ...env(base) },
            target,
          ).pipe(Layer.provide(Layer.succeed(VoiceConfig, makeVoiceConfig(voice)))),
        ),
      )
      const client = Layer.effect(
        HttpClient.HttpClient,
        Effect.map(HttpClient.HttpClient, (c) =>
          c.pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl(base))),
        ),
      ).pipe(Layer.provide(FetchHttpClient.layer))
      // The access log of hundreds of requests per test says nothing a failing assertion would not.
      return Layer.mergeAll(
        served.pipe(Layer.provide(Logger.minimumLogLevel(LogLevel.Warning))),
        client,
        Layer.succeed(GatewayUrl, {
          http: base,
          ws: `ws://127.0.0.1:${port}`,
          stream: `ws://${streamAuth.key}:${streamAuth.token}@127.0.0.1:${port}/api/exotel/voice-stream`,
        }),
      )
    }),
  )
