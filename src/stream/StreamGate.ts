// The voice stream's door: every upgrade request is authenticated (streamAuthentication.ts) against the settings
// in effect now, before the WebSocket handshake completes. A refused one is answered 401 (403 for an address
// outside the allow-list) and its connection closed; it is counted by reason and logged with its path and
// peer address, never its query (which holds the token) or its Authorization header.
import type { IncomingMessage } from "node:http"
import type { Duplex } from "node:stream"
import { Effect, Metric, Option, Runtime } from "effect"
import { Settings } from "../config/Settings.js"
import type { StreamAuthSettings } from "../config/settingsCatalog.js"
import { sourceAllowList } from "../policy/stream/sourceAllowList.js"
import { StreamCredentials } from "./StreamCredentials.js"
import {
  authenticateStart,
  authenticateStream,
  type RefusalReason,
  type StartIdentity,
  type StreamAuthPolicy,
  type StreamIdentity,
} from "./streamAuthentication.js"

const refusedHandshakes = Metric.counter("voice_stream_handshakes_refused_total", {
  description: "Voice-stream upgrade requests refused at the handshake, by reason",
})
const refusedBy = (reason: RefusalReason) => Metric.tagged(refusedHandshakes, "reason", reason)

const statusText = { 401: "Unauthorized", 403: "Forbidden" } as const

const answer = (socket: Duplex, status: 401 | 403, reason: RefusalReason) => {
  if (socket.destroyed) return
  const body = JSON.stringify({
    error: statusText[status],
    message: `The voice stream was refused (${reason}); see docs/security.md`,
  })
  socket.once("finish", () => socket.destroy())
  socket.end(
    [
      `HTTP/1.1 ${status} ${statusText[status]}`,
      "Connection: close",
      "Content-Type: application/json",
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...(status === 401 ? ['WWW-Authenticate: Basic realm="voice-stream"'] : []),
      "",
      body,
    ].join("\r\n"),
  )
}

const pathOf = (url: string | undefined) => (url ?? "/").split("?")[0]

export interface StreamGateShape {
  /** An identity for a stream let in; undefined for one refused, whose connection it has answered. */
  readonly admit: (request: IncomingMessage, socket: Duplex) => StreamIdentity | undefined
  /**
   * The proof a stream that presented nothing at its handshake gives in its start; undefined when it gives none
   * or a wrong one, counted and logged as a refused handshake is (the caller closes the stream).
   */
  readonly proveStart: (
    customParameters: Readonly<Record<string, string>>,
  ) => Effect.Effect<StartIdentity | undefined>
}

/** The gate: who may open a stream, decided at the handshake or, for a handshake that presented nothing, its start. */
export const makeStreamGate = Effect.gen(function* () {
  const settings = yield* Settings
  const credentials = yield* StreamCredentials
  const runtime = yield* Effect.runtime<never>()
  const runSync = Runtime.runSync(runtime)
  const runFork = Runtime.runFork(runtime)

  // The settings object is replaced on every change, so the policy built from it is kept until then.
  let cached: { readonly stream: StreamAuthSettings; readonly policy: StreamAuthPolicy } | undefined
  const policyFor = (stream: StreamAuthSettings): StreamAuthPolicy => {
    if (cached?.stream !== stream)
      cached = {
        stream,
        policy: {
          verify: credentials.verify,
          applet: Option.all({ key: stream.authKey, token: stream.authToken }),
          sourceAllowed: sourceAllowList(stream.allowedSources),
        },
      }
    return cached.policy
  }

  const proveStart: StreamGateShape["proveStart"] = (customParameters) =>
    Effect.gen(function* () {
      const decision = authenticateStart(customParameters, policyFor((yield* settings.current).stream))
      if (decision._tag !== "Refused") return decision
      yield* Metric.increment(refusedBy(decision.reason))
      yield* Effect.logWarning("Voice stream refused at its start").pipe(
        Effect.annotateLogs({ reason: decision.reason }),
      )
      return undefined
    })

  const admit = (request: IncomingMessage, socket: Duplex): StreamIdentity | undefined => {
    const decision = authenticateStream(
      {
        url: request.url,
        authorization: request.headers.authorization,
        remoteAddress: request.socket.remoteAddress,
      },
      policyFor(runSync(settings.current).stream),
    )
    if (decision._tag !== "Refused") return decision
    answer(socket, decision.status, decision.reason)
    runFork(
      Effect.zipRight(
        Metric.increment(refusedBy(decision.reason)),
        Effect.logWarning("Voice stream refused at the handshake").pipe(
          Effect.annotateLogs({
            reason: decision.reason,
            status: decision.status,
            path: pathOf(request.url),
            source: request.socket.remoteAddress ?? "unknown",
          }),
        ),
      ),
    )
    return undefined
  }
  return { admit, proveStart } satisfies StreamGateShape
})
