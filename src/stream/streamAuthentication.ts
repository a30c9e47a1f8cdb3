// Who opened a voice stream, decided from its handshake alone, before anything is stored or any session starts
// (exotel-protocol.md §1.1, decision 14). Pure: the request's URL, Authorization header and peer address in,
// an identity or a refusal out.
//
// - `?callId=…&token=…`: a call the gateway placed (its StreamUrl); `?sessionId=…&token=…`: a stream announced
//   with POST /voice-stream/start. The token is checked by StreamCredentials.
// - `Authorization: Basic …`: a stream an Exotel flow opened (the Voicebot applet's wss://KEY:TOKEN@host/…),
//   checked against the stream credential in the settings.
// Every credential presented must be right. A handshake that presents none at all is let in only to prove itself
// in its first message: custom parameters reach us in `start.custom_parameters` (exotel-protocol.md §1.1), and
// whether Exotel also keeps them on the handshake's URL is not documented. Nothing runs until that proof holds.
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
  /** A handshake that presented nothing: its `start` must carry the call's or session's credential. */
  | { readonly _tag: "ProofInStart" }

/** What the start of a stream that proved nothing at its handshake may prove. */
export type StartIdentity = Extract<StreamIdentity, { readonly _tag: "PlacedCall" | "AnnouncedSession" }>

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

/** The call or session that `callId` or `sessionId` with `token` name, checked; undefined when neither is named. */
const announcedBy = (
  callId: string | null,
  sessionId: string | null,
  token: string | null,
  policy: StreamAuthPolicy,
): StartIdentity | Refusal | undefined => {
  if (callId !== null && sessionId !== null) return refused("malformed_credential")
  const announced: AnnouncedStream | undefined =
    callId !== null
      ? { _tag: "Call", id: callId }
      : sessionId !== null
        ? { _tag: "Session", id: sessionId }
        : undefined
  if (announced === undefined) return token === null ? undefined : refused("malformed_credential")
  if (token === null) return refused("no_credential")
  if (!policy.verify(announced, token)) return refused("wrong_credential")
  return announced._tag === "Call"
    ? { _tag: "PlacedCall", callId: announced.id }
    : { _tag: "AnnouncedSession", sessionId: announced.id }
}

/** The proof a stream that presented nothing at its handshake gives in its start's custom parameters. */
export const authenticateStart = (
  parameters: Readonly<Record<string, string>>,
  policy: StreamAuthPolicy,
): StartIdentity | Refusal =>
  announcedBy(parameters.callId ?? null, parameters.sessionId ?? null, parameters.token ?? null, policy) ??
  refused("no_credential")

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
  if (callId === null && sessionId === null && token === null && handshake.authorization === undefined)
    return { _tag: "ProofInStart" }

  // A session id without a token is one a Basic-authenticated flow may name; a call id never goes without one.
  const announced =
    sessionId !== null && token === null && callId === null
      ? undefined
      : announcedBy(callId, sessionId, token, policy)
  if (announced?._tag === "Refused") return announced

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

  return announced ?? refused("no_credential")
}
