// Who opened a voice stream, decided from its handshake alone, before anything is stored or any session starts
// (exotel-protocol.md §1.1, decision 14). Pure: the request's URL, Authorization header and peer address in,
// an identity or a refusal out.
//
// - `?callId=…&token=…`: a call the gateway placed (its StreamUrl); `?sessionId=…&token=…`: a stream announced
//   with POST /voice-stream/start. The token is checked by StreamCredentials.
// - `Authorization: Basic …`: a stream an Exotel flow opened (the Voicebot applet's wss://KEY:TOKEN@host/…),
//   checked against the stream credential in the settings.
// Every credential presented must be right, and at least one must be presented.
import { createHash, timingSafeEqual } from "node:crypto"
import { Option, Redacted } from "effect"
import type { AnnouncedStream } from "./StreamCredentials.js"

export interface Handshake {
  /** The request's path and query, as the HTTP request line gave them. */
  readonly url: string | undefined
  readonly authorization: string | undefined
  readonly remoteAddress: string | undefined
}

export interface AppletCredential {
  readonly key: Redacted.Redacted
  readonly token: Redacted.Redacted
}

export interface StreamAuthPolicy {
  readonly verify: (stream: AnnouncedStream, token: string) => boolean
  /** The credential Exotel's dashboard flows present; none: no flow-opened stream is let in. */
  readonly applet: Option.Option<AppletCredential>
  readonly sourceAllowed: (address: string | undefined) => boolean
}

export type StreamIdentity =
  | { readonly _tag: "PlacedCall"; readonly callId: string }
  | { readonly _tag: "AnnouncedSession"; readonly sessionId: string }
  /** A stream an Exotel flow opened: it may name a stream expectation, never an order, vendor or rider. */
  | { readonly _tag: "Applet" }

export const refusalReasons = [
  "source_not_allowed",
  "no_credential",
  "malformed_credential",
  "wrong_credential",
  "applet_credential_not_set",
] as const
export type RefusalReason = (typeof refusalReasons)[number]

export interface Refusal {
  readonly _tag: "Refused"
  readonly reason: RefusalReason
  /** 403 for an address outside the allow-list, 401 for everything about credentials. */
  readonly status: 401 | 403
}

const refused = (reason: RefusalReason): Refusal => ({
  _tag: "Refused",
  reason,
  status: reason === "source_not_allowed" ? 403 : 401,
})

type Basic = { readonly key: string; readonly token: string }

const basicScheme = /^Basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i

/** The header's key and token; undefined when it is not a well-formed Basic credential. */
const basicOf = (header: string): Basic | undefined => {
  const encoded = basicScheme.exec(header)?.[1]
  if (encoded === undefined) return undefined
  const decoded = Buffer.from(encoded, "base64").toString("utf8")
  const colon = decoded.indexOf(":")
  return colon <= 0 ? undefined : { key: decoded.slice(0, colon), token: decoded.slice(colon + 1) }
}

// Digests first, so the comparison takes the same time whatever the lengths.
const sameSecret = (given: string, expected: Redacted.Redacted) =>
  timingSafeEqual(
    createHash("sha256").update(given, "utf8").digest(),
    createHash("sha256").update(Redacted.value(expected), "utf8").digest(),
  )

const credentialParameters = ["callId", "sessionId", "token"] as const

export const authenticateStream = (
  handshake: Handshake,
  policy: StreamAuthPolicy,
): StreamIdentity | Refusal => {
  if (!policy.sourceAllowed(handshake.remoteAddress)) return refused("source_not_allowed")
  const query = new URL(handshake.url ?? "/", "http://gateway").searchParams
  // A parameter given twice could be read one way here and another way later.
  if (credentialParameters.some((name) => query.getAll(name).length > 1))
    return refused("malformed_credential")
  const callId = query.get("callId")
  const sessionId = query.get("sessionId")
  const token = query.get("token")
  if (callId !== null && sessionId !== null) return refused("malformed_credential")

  // A session id without a token is one a Basic-authenticated flow may name; a call id never goes without one.
  const announced: AnnouncedStream | undefined =
    callId !== null
      ? { _tag: "Call", id: callId }
      : sessionId !== null && token !== null
        ? { _tag: "Session", id: sessionId }
        : undefined
  if (announced === undefined && token !== null) return refused("malformed_credential")
  if (announced !== undefined) {
    if (token === null) return refused("no_credential")
    if (!policy.verify(announced, token)) return refused("wrong_credential")
  }

  if (handshake.authorization !== undefined) {
    const basic = basicOf(handshake.authorization)
    if (basic === undefined) return refused("malformed_credential")
    if (Option.isNone(policy.applet)) return refused("applet_credential_not_set")
    const expected = policy.applet.value
    // Both compared, always: which half was wrong is not for the caller to learn from the time it took.
    const keyRight = sameSecret(basic.key, expected.key)
    const tokenRight = sameSecret(basic.token, expected.token)
    if (!(keyRight && tokenRight)) return refused("wrong_credential")
    if (announced === undefined) return { _tag: "Applet" }
  }

  if (announced === undefined) return refused("no_credential")
  return announced._tag === "Call"
    ? { _tag: "PlacedCall", callId: announced.id }
    : { _tag: "AnnouncedSession", sessionId: announced.id }
}
