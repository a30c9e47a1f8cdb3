// A plain WebSocket client of the voice stream, for tests that knock on its door as anyone could: it sends the
// frames given and reports how the handshake or the stream ended, and what the gateway sent back.
import { Effect } from "effect"
import WebSocket from "ws"

export type RawOutcome =
  | { readonly _tag: "Refused"; readonly status: number; readonly body: string }
  | {
      readonly _tag: "Closed"
      readonly code: number
      readonly reason: string
      readonly received: ReadonlyArray<string>
    }

export interface RawDial {
  readonly headers?: Readonly<Record<string, string>>
  /** Sent one after another as soon as the socket opens; a Buffer goes as a binary frame. */
  readonly frames?: ReadonlyArray<string | Buffer>
  /** A frame sent again and again at this pace once the others are out (audio, say). */
  readonly repeat?: { readonly frame: string; readonly everyMs: number }
  /** The client closes (1000) this long after it sent its frames, unless the gateway closed first. */
  readonly closeAfterMs?: number
}

export const rawStream = (url: string, dial: RawDial = {}) =>
  Effect.async<RawOutcome>((resume) => {
    const ws = new WebSocket(url, { perMessageDeflate: false, headers: { ...dial.headers } })
    const received: Array<string> = []
    let timer: NodeJS.Timeout | undefined
    let repeating: NodeJS.Timeout | undefined
    ws.on("unexpected-response", (request, response) => {
      const parts: Array<Buffer> = []
      response.on("data", (c: Buffer) => parts.push(c))
      response.on("end", () => {
        resume(
          Effect.succeed({
            _tag: "Refused",
            status: response.statusCode ?? 0,
            body: Buffer.concat(parts).toString("utf8"),
          }),
        )
        request.destroy()
      })
    })
    ws.on("open", () => {
      for (const frame of dial.frames ?? []) ws.send(frame, { binary: Buffer.isBuffer(frame) })
      const { repeat } = dial
      if (repeat !== undefined)
        repeating = setInterval(
          () => ws.readyState === WebSocket.OPEN && ws.send(repeat.frame),
          repeat.everyMs,
        )
      timer = setTimeout(() => ws.close(1000), dial.closeAfterMs ?? 1_000)
    })
    ws.on("message", (data) => received.push(String(data)))
    ws.on("close", (code, reason) => {
      clearTimeout(timer)
      clearInterval(repeating)
      resume(Effect.succeed({ _tag: "Closed", code, reason: reason.toString("utf8"), received }))
    })
    // A refused handshake or a reset surfaces above; the error event itself says nothing more.
    ws.on("error", () => undefined)
    return Effect.sync(() => {
      clearTimeout(timer)
      clearInterval(repeating)
      ws.terminate()
    })
  })

/** Exotel's first two frames: connected, then a start carrying these custom parameters. */
export const opening = (callSid: string, customParameters: Record<string, string> = {}) => [
  JSON.stringify({ event: "connected" }),
  JSON.stringify({
    event: "start",
    sequence_number: "1",
    stream_sid: `MZ${callSid}`,
    start: {
      stream_sid: `MZ${callSid}`,
      call_sid: callSid,
      from: "+919812345678",
      custom_parameters: customParameters,
      media_format: { encoding: "audio/x-raw", sample_rate: "8000", bit_rate: "16" },
    },
  }),
]

export const dtmf = (digit: string) => JSON.stringify({ event: "dtmf", dtmf: { digit, duration: "100" } })
