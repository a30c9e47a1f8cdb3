// A tiny stand-in for Exotel placing a Connect Voice AI call: accepts POST …/Calls/connect.json (form body,
// exotel-protocol.md §1.5), answers the documented JSON, then plays the call its scenario says — a scripted
// stream into StreamUrl with the stream caller, or busy / no answer — and posts the StatusCallback.
//
// The Exotel simulator answers streamed calls too (through SimulatedCallees); this peer stays for tests that
// script a different callee per number — a vendor who rejects, one who is busy, one who hangs up mid-prompt.
import { randomBytes } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { connectCallRefusal } from "../exotel/requiredParameters.js"
import { parseFields, restException, text } from "../exotel/wireFormat.js"
import { type CallRecording, type CallScript, playCall } from "./StreamCaller.js"

export type Scenario =
  | {
      readonly kind: "answer"
      readonly script: Omit<CallScript, "url" | "callSid">
      /**
       * Dial the StreamUrl without its query, whose parameters arrive only in `start.custom_parameters`: whether
       * Exotel keeps the query on the handshake is not documented (exotel-protocol.md §1.1), so both are played.
       */
      readonly queryInStartOnly?: boolean
    }
  | { readonly kind: "busy" }
  | { readonly kind: "no-answer" }

export interface ConnectRequest {
  readonly from: string
  readonly callerId: string
  readonly streamUrl: string
  readonly statusCallback: string
  readonly customField: string
  readonly callSid: string
}

export interface ConnectedCall {
  readonly request: ConnectRequest
  readonly recording: CallRecording | null
  readonly status: "completed" | "busy" | "no-answer"
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    const parts: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => parts.push(chunk))
    request.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
  })

const postStatus = (request: ConnectRequest, status: string) =>
  fetch(request.statusCallback, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      CallSid: request.callSid,
      Status: status,
      CustomField: request.customField,
      EventType: "terminal",
      RecordingUrl: "",
    }).toString(),
  }).then(
    () => undefined,
    () => undefined,
  )

/** Plays one placed call to its end and reports it as Exotel would. */
export const runConnectedCall = async (
  request: ConnectRequest,
  scenario: Scenario,
): Promise<ConnectedCall> => {
  if (scenario.kind !== "answer") {
    await new Promise((r) => setTimeout(r, 50))
    await postStatus(request, scenario.kind)
    return { request, recording: null, status: scenario.kind }
  }
  const url = new URL(request.streamUrl)
  const recording = await playCall({
    ...scenario.script,
    ...(scenario.queryInStartOnly === true
      ? { url: `${url.origin}${url.pathname}`, customParameters: Object.fromEntries(url.searchParams) }
      : { url: request.streamUrl }),
    callSid: request.callSid,
  })
  await postStatus(request, "completed")
  return { request, recording, status: "completed" }
}

export interface ExotelConnectPeer {
  readonly url: string
  readonly calls: Array<Promise<ConnectedCall>>
  readonly close: () => Promise<void>
}

export const startExotelConnectPeer = (
  scenarioFor: (request: ConnectRequest) => Scenario,
  listenPort = 0,
): Promise<ExotelConnectPeer> =>
  new Promise((resolve) => {
    const calls: Array<Promise<ConnectedCall>> = []
    const server = createServer(async (req, res) => {
      const body = await readBody(req)
      if (req.method !== "POST" || !/\/v1\/Accounts\/[^/]+\/Calls\/connect\.json$/.test(req.url ?? "")) {
        res.writeHead(404, { "content-type": "application/json" })
        res.end(JSON.stringify({ RestException: { Status: 404, Message: "Not found" } }))
        return
      }
      const fields = parseFields(req.headers["content-type"], body)
      const streamUrl = text(fields, "StreamUrl")
      // Refused as Exotel refuses (requiredParameters.ts); a valid call without a stream is one this peer
      // cannot play, and says so.
      const refusal = connectCallRefusal(fields)
      if (refusal !== undefined || streamUrl === undefined) {
        const answer = refusal ?? {
          status: 400,
          body: restException(400, "This stand-in plays Connect Voice AI calls only: StreamUrl is missing"),
        }
        res.writeHead(answer.status, { "content-type": "application/json" })
        res.end(JSON.stringify(answer.body))
        return
      }
      const request: ConnectRequest = {
        from: text(fields, "From") ?? "",
        callerId: text(fields, "CallerId") ?? "",
        streamUrl,
        statusCallback: text(fields, "StatusCallback") ?? "",
        customField: text(fields, "CustomField") ?? "",
        callSid: randomBytes(16).toString("hex"),
      }
      res.writeHead(200, { "content-type": "application/json" })
      res.end(
        JSON.stringify({
          Call: {
            Sid: request.callSid,
            Status: "in-progress",
            From: request.from,
            PhoneNumberSid: request.callerId,
            Direction: "outbound-api",
            DateCreated: new Date().toISOString().slice(0, 19).replace("T", " "),
            RecordingUrl: null,
          },
        }),
      )
      // Exotel connects the stream on answer, a moment after answering the API request.
      const call = new Promise((r) => setTimeout(r, 20)).then(() =>
        runConnectedCall(request, scenarioFor(request)),
      )
      // A test that never awaits a call whose socket broke must not see an unhandled rejection; one that
      // awaits it still gets the failure.
      call.catch(() => undefined)
      calls.push(call)
    })
    server.listen(listenPort, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}`,
        calls,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections()
            server.close(() => r())
          }),
      })
    })
  })
