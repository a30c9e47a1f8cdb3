import { describe, expect, it } from "@effect/vitest"
import { Option, Redacted } from "effect"
import fc from "fast-check"
import { makeSecretBox } from "../../src/config/SecretBox.js"
import { sourceAllowList } from "../../src/policy/stream/sourceAllowList.js"
import { makeStreamCredentials } from "../../src/stream/StreamCredentials.js"
import {
  authenticateStart,
  authenticateStream,
  type Handshake,
  type StreamAuthPolicy,
} from "../../src/stream/streamAuthentication.js"

const box = makeSecretBox(Buffer.alloc(32, 7))
const credentials = makeStreamCredentials((m) => box.mac(m, "voice-stream"))
const otherGateway = makeStreamCredentials((m) => makeSecretBox(Buffer.alloc(32, 8)).mac(m, "voice-stream"))

const applet = { key: "applet-key", token: "applet-token-123" }
const policy: StreamAuthPolicy = {
  verify: credentials.verify,
  applet: Option.some({ key: Redacted.make(applet.key), token: Redacted.make(applet.token) }),
  sourceAllowed: () => true,
}
const basic = (key: string, token: string) => `Basic ${Buffer.from(`${key}:${token}`).toString("base64")}`
const path = "/api/exotel/voice-stream"
const handshake = (url: string, authorization?: string, remoteAddress = "127.0.0.1"): Handshake => ({
  url,
  authorization,
  remoteAddress,
})
const placed = (callId: string) => new URL(credentials.urlFor(`ws://h${path}`, { _tag: "Call", id: callId }))
const reason = (h: Handshake, p: StreamAuthPolicy = policy) => {
  const result = authenticateStream(h, p)
  return result._tag === "Refused" ? result.reason : result._tag
}

describe("a voice stream's handshake", () => {
  it("a call's own StreamUrl lets it in as that call, and nothing else does", () => {
    const url = placed("VC_777_1")
    expect(authenticateStream(handshake(url.pathname + url.search), policy)).toEqual({
      _tag: "PlacedCall",
      callId: "VC_777_1",
    })
    const token = url.searchParams.get("token") ?? ""
    expect(reason(handshake(`${path}?callId=VC_777_1`))).toBe("no_credential")
    expect(reason(handshake(`${path}?callId=VC_777_2&token=${token}`))).toBe("wrong_credential")
    expect(reason(handshake(`${path}?callId=VC_777_1&token=${token.slice(1)}`))).toBe("wrong_credential")
    expect(reason(handshake(`${path}?callId=VC_777_1&token=${token}&token=${token}`))).toBe(
      "malformed_credential",
    )
    // A call's token is no session's, and another gateway's key makes other tokens.
    expect(reason(handshake(`${path}?sessionId=VC_777_1&token=${token}`))).toBe("wrong_credential")
    const foreign = otherGateway.tokenFor({ _tag: "Call", id: "VC_777_1" })
    expect(reason(handshake(`${path}?callId=VC_777_1&token=${foreign}`))).toBe("wrong_credential")
  })

  it("the credential fits Exotel's custom parameters: two of three, well under 256 characters", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_]{1,64}$/), (id) => {
        const url = placed(id)
        expect([...url.searchParams.keys()]).toEqual(["callId", "token"])
        expect(url.search.length).toBeLessThan(120)
      }),
    )
  })

  it("a token opens exactly the call it was made for", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const token = credentials.tokenFor({ _tag: "Call", id: a })
        expect(credentials.verify({ _tag: "Call", id: b }, token)).toBe(a === b)
        expect(credentials.verify({ _tag: "Session", id: a }, token)).toBe(false)
      }),
    )
  })

  it("an Exotel flow's Basic credential lets it in as a flow; a wrong or malformed one does not", () => {
    expect(reason(handshake(path, basic(applet.key, applet.token)))).toBe("Applet")
    expect(reason(handshake(`${path}?sessionId=s1`, basic(applet.key, applet.token)))).toBe("Applet")
    expect(reason(handshake(path, basic(applet.key, "wrong")))).toBe("wrong_credential")
    expect(reason(handshake(path, basic("wrong", applet.token)))).toBe("wrong_credential")
    expect(reason(handshake(path, basic(applet.key, `${applet.token}x`)))).toBe("wrong_credential")
    expect(reason(handshake(path, `Bearer ${applet.token}`))).toBe("malformed_credential")
    expect(reason(handshake(path, "Basic !!!"))).toBe("malformed_credential")
    expect(reason(handshake(path, `Basic ${Buffer.from("no-colon").toString("base64")}`))).toBe(
      "malformed_credential",
    )
    expect(
      reason(handshake(path, basic(applet.key, applet.token)), { ...policy, applet: Option.none() }),
    ).toBe("applet_credential_not_set")
  })

  it("every credential presented must be right", () => {
    const url = placed("VC_1")
    const own = url.pathname + url.search
    expect(reason(handshake(own, basic(applet.key, applet.token)))).toBe("PlacedCall")
    expect(reason(handshake(own, basic(applet.key, "wrong")))).toBe("wrong_credential")
    // A Basic credential does not vouch for a call id: the call's token does.
    expect(reason(handshake(`${path}?callId=VC_1`, basic(applet.key, applet.token)))).toBe("no_credential")
    expect(reason(handshake(`${path}?token=abc`, basic(applet.key, applet.token)))).toBe(
      "malformed_credential",
    )
  })

  it("a stream with no credential gets no identity, whatever its URL says: refused, or asked to prove itself in its start", () => {
    fc.assert(
      fc.property(
        fc.webQueryParameters(),
        fc.option(fc.string(), { nil: undefined }),
        (query, authorization) => {
          expect(["Refused", "ProofInStart"]).toContain(
            authenticateStream(handshake(`${path}?${query}`, authorization), policy)._tag,
          )
        },
      ),
      { numRuns: 2000 },
    )
    expect(reason(handshake(`${path}?flow=vendor_confirmation&orderId=777`))).toBe("ProofInStart")
    // Anything presented is judged at the handshake.
    expect(reason(handshake(`${path}?flow=vendor_confirmation&sessionId=s1`))).toBe("no_credential")
  })

  it("a start proves the call or session its custom parameters name with their token, and nothing else", () => {
    const url = placed("VC_9")
    const own = Object.fromEntries(url.searchParams)
    expect(authenticateStart(own, policy)).toEqual({ _tag: "PlacedCall", callId: "VC_9" })
    const startReason = (parameters: Record<string, string>) => {
      const result = authenticateStart(parameters, policy)
      return result._tag === "Refused" ? result.reason : result._tag
    }
    expect(startReason({ ...own, callId: "VC_10" })).toBe("wrong_credential")
    expect(startReason({ callId: "VC_9" })).toBe("no_credential")
    expect(startReason({ flow: "vendor_confirmation", orderId: "777" })).toBe("no_credential")
    expect(startReason({ ...own, sessionId: "s1" })).toBe("malformed_credential")
    expect(startReason({ token: own.token ?? "" })).toBe("malformed_credential")
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.string()), (parameters) => {
        expect(authenticateStart(parameters, policy)._tag).toBe("Refused")
      }),
    )
  })

  it("an address outside the allow-list is refused with 403 before any credential is looked at", () => {
    const allowed = { ...policy, sourceAllowed: sourceAllowList(["203.0.113.0/24", "2001:db8::/32"]) }
    const right = basic(applet.key, applet.token)
    expect(authenticateStream(handshake(path, right, "127.0.0.1"), allowed)).toMatchObject({
      reason: "source_not_allowed",
      status: 403,
    })
    expect(reason(handshake(path, right, "203.0.113.9"), allowed)).toBe("Applet")
    expect(reason(handshake(path, right, "::ffff:203.0.113.9"), allowed)).toBe("Applet")
    expect(reason(handshake(path, right, "2001:db8::1"), allowed)).toBe("Applet")
    expect(reason(handshake(path, right, "2001:db9::1"), allowed)).toBe("source_not_allowed")
    expect(
      authenticateStream({ url: path, authorization: right, remoteAddress: undefined }, allowed),
    ).toMatchObject({ reason: "source_not_allowed" })
  })
})
