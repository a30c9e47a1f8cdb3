// The short credentials a voice stream carries in its URL when an API call announced it (exotel-protocol.md
// §1.1, decision 14): a call the gateway places gets `?callId=…&token=…`, a stream registered with POST
// /voice-stream/start gets `?sessionId=…&token=…`. The token is an HMAC of the id under a key derived from
// GATEWAY_SECRET_KEY, so nothing is stored to check it and a restarted gateway (or another one sharing the
// secret) accepts it. Two custom parameters of Exotel's three, and well under its 256 characters.
import { timingSafeEqual } from "node:crypto"
import { Context, Effect, Layer } from "effect"
import { SecretBox } from "../config/SecretBox.js"

export const voiceStreamPath = "/api/exotel/voice-stream"

/** 128 bits of the HMAC, base64url: 22 characters. */
const tokenBytes = 16

/** What a stream's credential vouches for: a call the gateway placed, or a stream expectation. */
export type AnnouncedStream =
  | { readonly _tag: "Call"; readonly id: string }
  | { readonly _tag: "Session"; readonly id: string }

export interface StreamCredentialsShape {
  /** The token for this call or session. */
  readonly tokenFor: (stream: AnnouncedStream) => string
  /** True when `token` is this call's or session's; constant time. */
  readonly verify: (stream: AnnouncedStream, token: string) => boolean
  /** `base` (the gateway's ws(s)://…/api/exotel/voice-stream) with the id and its token as parameters. */
  readonly urlFor: (base: string, stream: AnnouncedStream) => string
}

export class StreamCredentials extends Context.Tag("StreamCredentials")<
  StreamCredentials,
  StreamCredentialsShape
>() {}

const parameterOf = (stream: AnnouncedStream) => (stream._tag === "Call" ? "callId" : "sessionId")

export const makeStreamCredentials = (mac: (message: string) => Buffer): StreamCredentialsShape => {
  // The kind is in the message: a call's token never opens the session of the same name.
  const digest = (stream: AnnouncedStream) => mac(`${stream._tag}:${stream.id}`).subarray(0, tokenBytes)
  const tokenFor = (stream: AnnouncedStream) => digest(stream).toString("base64url")
  return {
    tokenFor,
    verify: (stream, token) => {
      const given = Buffer.from(token, "base64url")
      return given.length === tokenBytes && token === given.toString("base64url")
        ? timingSafeEqual(given, digest(stream))
        : false
    },
    urlFor: (base, stream) =>
      `${base}?${parameterOf(stream)}=${encodeURIComponent(stream.id)}&token=${tokenFor(stream)}`,
  }
}

export const StreamCredentialsLive = Layer.effect(
  StreamCredentials,
  Effect.map(SecretBox, (box) => makeStreamCredentials((message) => box.mac(message, "voice-stream"))),
)
