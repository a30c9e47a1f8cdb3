// The URLs Exotel is given to reach this gateway back: status callbacks carrying a fresh per-request token, and
// the voice-stream socket with the credential of the call or session it is for. Built from PUBLIC_BASE_URL, or
// from the bound address when that names port 0.
import { randomBytes } from "node:crypto"
import { HttpServer } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import { type AnnouncedStream, StreamCredentials, voiceStreamPath } from "../stream/StreamCredentials.js"
import { GatewayEnv } from "./Env.js"

export interface CallbackUrlsShape {
  readonly base: string
  readonly callStatus: (token: string) => string
  readonly smsStatus: (token: string) => string
  readonly whatsAppStatus: (token: string) => string
  /** The voice-stream URL of this call or stream expectation, its credential included. */
  readonly voiceStream: (stream: AnnouncedStream) => string
}

export class CallbackUrls extends Context.Tag("CallbackUrls")<CallbackUrls, CallbackUrlsShape>() {}

/** 144 random bits: a callback that guesses it is as likely as one that guesses an API key. */
export const newCallbackToken = () => randomBytes(18).toString("base64url")

export const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString("base64url")}`

export const CallbackUrlsLive = Layer.effect(
  CallbackUrls,
  Effect.gen(function* () {
    const env = yield* GatewayEnv
    const server = yield* HttpServer.HttpServer
    const credentials = yield* StreamCredentials
    const base =
      /:0$/.test(env.publicBaseUrl) && server.address._tag === "TcpAddress"
        ? `http://127.0.0.1:${server.address.port}`
        : env.publicBaseUrl
    const api = `${base}/api/exotel`
    return CallbackUrls.of({
      base,
      callStatus: (token) => `${api}/webhooks/exotel/call-status?token=${token}`,
      smsStatus: (token) => `${api}/webhooks/exotel/sms-status?token=${token}`,
      whatsAppStatus: (token) => `${api}/webhooks/exotel/whatsapp-status?token=${token}`,
      voiceStream: (stream) => credentials.urlFor(`${base.replace(/^http/, "ws")}${voiceStreamPath}`, stream),
    })
  }),
)
