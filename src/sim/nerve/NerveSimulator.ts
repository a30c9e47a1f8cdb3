// A simulated Nerve system (the AI voice-call orchestrator): answers POST /calls/vendor-confirm and
// /calls/rider-assign with a call sid, then "runs" the call by posting the seed's callbacks to the callbackUrl,
// signed with X-Nerve-Signature: sha256=<HMAC-SHA256 of the raw body>. A peer over real HTTP.
import { createHmac, randomBytes } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import type { CallStatus, RejectionReason } from "../../domain/VoiceCall.js"

/** One callback of a simulated call; the fields left out are sent as null. */
export interface SimulatedCallback {
  readonly event: CallStatus
  readonly status?: string | null
  readonly dtmf_digits?: string | null
  readonly prep_time?: number | null
  readonly rejection_reason?: string | null
  readonly recording_url?: string | null
}

export interface NerveScript {
  readonly callbacks: ReadonlyArray<SimulatedCallback>
  /** Post every callback twice, as a retrying sender would. */
  readonly duplicate?: boolean
  readonly gapMs?: number
}

export interface NervePlacedCall {
  readonly path: string
  readonly body: Record<string, unknown>
  readonly callSid: string
  /** The gateway's answer to each callback, in order. */
  readonly answers: Promise<ReadonlyArray<{ readonly status: number; readonly body: unknown }>>
}

export const acceptWithPrepTime = (minutes: number): NerveScript => ({
  callbacks: [
    { event: "ringing" },
    { event: "answered" },
    { event: "accepted", status: "accepted", dtmf_digits: "1" },
    { event: "prep_time_set", status: "accepted", prep_time: minutes, dtmf_digits: `1${minutes}#` },
    { event: "completed", recording_url: "https://recordings.exotel.com/call_sim.mp3" },
  ],
})

/** The one called presses 1 and the call ends: a rider who takes the delivery, a vendor who gives no prep time. */
export const accepts: NerveScript = {
  callbacks: [
    { event: "ringing" },
    { event: "answered" },
    { event: "accepted", status: "accepted", dtmf_digits: "1" },
    { event: "completed" },
  ],
}

const reasonKeys: Record<RejectionReason, string> = {
  item_unavailable: "1",
  shop_closed: "2",
  too_busy: "3",
  other: "4",
}

/** The one called presses 2 (a vendor then the reason's key) and the call ends. */
export const rejectsWith = (reason: RejectionReason | null): NerveScript => ({
  callbacks: [
    { event: "ringing" },
    { event: "answered" },
    {
      event: "rejected",
      status: "rejected",
      dtmf_digits: reason === null ? "2" : `2${reasonKeys[reason]}`,
      rejection_reason: reason,
    },
    { event: "completed" },
  ],
})

/** The phone rings and nobody answers. */
export const unanswered: NerveScript = { callbacks: [{ event: "ringing" }, { event: "no_response" }] }

export const signBody = (secret: string, body: string) =>
  `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`

const readJson = (request: IncomingMessage) =>
  new Promise<unknown>((resolve) => {
    const parts: Array<Buffer> = []
    request.on("data", (c: Buffer) => parts.push(c))
    request.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString("utf8")))
      } catch {
        resolve(null)
      }
    })
  })

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

export interface NerveSimulator {
  readonly url: string
  readonly placed: Array<NervePlacedCall>
  readonly close: () => Promise<void>
}

export const startNerveSimulator = (options: {
  readonly secret: string
  readonly scriptFor: (path: string, body: Record<string, unknown>) => NerveScript
}): Promise<NerveSimulator> =>
  new Promise((resolve) => {
    const placed: Array<NervePlacedCall> = []
    // A gateway that has gone away (a test ending, a restart) answers nothing: the answer is status 0, as
    // Nerve would log it, never a rejection nobody is waiting for.
    const post = async (url: string, callback: Record<string, unknown>) => {
      const body = JSON.stringify(callback)
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-nerve-signature": signBody(options.secret, body),
          },
          body,
        })
        return { status: response.status, body: await response.json().catch(() => null) }
      } catch (error) {
        return { status: 0, body: String(error) }
      }
    }
    const run = async (url: string, callId: string, callSid: string, script: NerveScript) => {
      const answers: Array<{ status: number; body: unknown }> = []
      for (const step of script.callbacks) {
        await new Promise((r) => setTimeout(r, script.gapMs ?? 30))
        const callback = {
          call_id: callId,
          call_sid: callSid,
          status: null,
          dtmf_digits: null,
          prep_time: null,
          rejection_reason: null,
          recording_url: null,
          ...step,
        }
        answers.push(await post(url, callback))
        if (script.duplicate === true) answers.push(await post(url, callback))
      }
      return answers
    }
    const server = createServer(async (req, res) => {
      if (req.method === "GET" && req.url === "/health") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}')
        return
      }
      const path = req.url ?? ""
      const body = await readJson(req)
      if (
        req.method !== "POST" ||
        !["/calls/vendor-confirm", "/calls/rider-assign"].includes(path) ||
        !isRecord(body)
      ) {
        res.writeHead(404).end()
        return
      }
      const callId = body.callId
      const callbackUrl = body.callbackUrl
      if (typeof callId !== "string" || typeof callbackUrl !== "string") {
        res
          .writeHead(400, { "content-type": "application/json" })
          .end('{"error":"callId and callbackUrl are required"}')
        return
      }
      const callSid = randomBytes(16).toString("hex")
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ callSid }))
      placed.push({
        path,
        body,
        callSid,
        answers: run(callbackUrl, callId, callSid, options.scriptFor(path, body)),
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        placed,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections()
            server.close(() => r())
          }),
      })
    })
  })
