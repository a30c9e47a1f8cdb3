// A simulated Exotel voice stream: dials the gateway's WebSocket like Exotel's Voicebot applet does and plays
// a scripted call — connected, start with custom parameters, real PCM frames at real-time pace, DTMF digits
// at set times, stop — while recording what the gateway sends back and how fast it answers each digit.
// A peer over a real socket: it knows the wire format, not the gateway's code.
import { randomBytes } from "node:crypto"
import WebSocket from "ws"
import { tones } from "../../stream/audio.js"

export interface CallScript {
  /**
   * ws://host:port/api/exotel/voice-stream[?…]: a call's StreamUrl with its credential, or ws://KEY:TOKEN@host/…
   * as a Voicebot applet is configured, whose userinfo goes as `Authorization: Basic`, as Exotel sends it (ws does
   * this for any URL with userinfo).
   */
  readonly url: string
  readonly callSid?: string
  readonly from?: string
  readonly to?: string
  readonly customParameters?: Readonly<Record<string, string>>
  /** Bytes of PCM per media message and how often one is sent: Exotel sends ~100 ms at a time. */
  readonly chunkBytes?: number
  readonly chunkEveryMs?: number
  /** Digits to press, each at a time from the start message. */
  readonly digits?: ReadonlyArray<{ readonly atMs: number; readonly digit: string }>
  /** When the caller hangs up (sends stop and closes); none: stay until the gateway closes. */
  readonly hangupAtMs?: number
  /** Hang up once this many marks have come, each the end of a prompt: a caller who heard them out. */
  readonly hangupAfterMarks?: number
  /** Keep the PCM the gateway sent, for a test that listens to it. */
  readonly keepAudio?: boolean
  /** The caller's own audio (PCM16LE mono, 8 kHz), sent from this time on in place of the steady tone. */
  readonly talk?: { readonly atMs: number; readonly pcm: Uint8Array }
  /** Give up after this long whatever happens. */
  readonly maxMs?: number
  /** Raw text frames to send right after start, for malformed-input tests. */
  readonly extraFrames?: ReadonlyArray<string>
}

export interface CallRecording {
  readonly streamSid: string
  readonly callSid: string
  readonly mediaFrames: number
  readonly mediaBytes: number
  readonly marks: ReadonlyArray<string>
  readonly clears: number
  /** Milliseconds from each digit sent to the first media frame after it (null if no reply came); digits the
   *  script had no time to press before hanging up are left out. */
  readonly digitLatencies: ReadonlyArray<number | null>
  readonly closedBy: "gateway" | "caller" | "timeout"
  readonly badFrames: ReadonlyArray<string>
  /** The gateway's audio, its media payloads end to end (PCM16LE mono at 8 kHz); empty unless keepAudio. */
  readonly audio: Uint8Array
}

/**
 * What Exotel makes of a StreamUrl's query: its custom parameters, delivered again in `start` (exotel-protocol.md
 * §1.1). The sample rate is the stream's own setting, not a custom parameter.
 */
const urlParameters = (url: string): Record<string, string> =>
  Object.fromEntries([...new URL(url).searchParams].filter(([name]) => name !== "sample-rate"))

const rand = (n: number) => randomBytes(n).toString("hex")

export const playCall = (script: CallScript): Promise<CallRecording> =>
  new Promise((resolve, reject) => {
    const streamSid = `MZ${rand(12)}`
    const callSid = script.callSid ?? rand(16)
    const chunkBytes = script.chunkBytes ?? 1600
    const chunkEvery = script.chunkEveryMs ?? 100
    const frame = Buffer.from(tones([220], (chunkBytes / 2 / 8000) * 1000, 8000)).toString("base64")
    const ws = new WebSocket(script.url, { perMessageDeflate: false })
    const timers: Array<NodeJS.Timeout> = []
    const pending: Array<{ sentAt: number; index: number }> = []
    const latencies: Array<number | null> = []
    const pressed = new Set<number>()
    const marks: Array<string> = []
    const badFrames: Array<string> = []
    const audio: Array<Buffer> = []
    let mediaFrames = 0
    let mediaBytes = 0
    let clears = 0
    let sequence = 0
    let closedBy: CallRecording["closedBy"] = "gateway"
    let finished = false

    // Field order as Exotel's documentation prints it: event first.
    const send = (event: string, body: Record<string, unknown>) => {
      if (ws.readyState === WebSocket.OPEN) {
        ws.send(
          JSON.stringify({ event, sequence_number: String(++sequence), stream_sid: streamSid, ...body }),
        )
      }
    }
    const finish = () => {
      if (finished) return
      finished = true
      for (const t of timers) clearTimeout(t)
      clearInterval(media)
      resolve({
        streamSid,
        callSid,
        mediaFrames,
        mediaBytes,
        marks,
        clears,
        digitLatencies: latencies,
        closedBy,
        badFrames,
        audio: new Uint8Array(Buffer.concat(audio)),
      })
    }
    const hangUp = (why: CallRecording["closedBy"]) => {
      closedBy = why
      send("stop", { stop: { call_sid: callSid, account_sid: "simulator", reason: "callended" } })
      ws.close(1000)
    }

    let media: NodeJS.Timeout | undefined
    let chunk = 0
    ws.on("open", () => {
      ws.send(JSON.stringify({ event: "connected" }))
      send("start", {
        start: {
          stream_sid: streamSid,
          call_sid: callSid,
          account_sid: "simulator",
          from: script.from ?? "+919876543210",
          to: script.to ?? "+918047491899",
          custom_parameters: script.customParameters ?? urlParameters(script.url),
          media_format: { encoding: "audio/x-raw", sample_rate: "8000", bit_rate: "16" },
        },
      })
      for (const text of script.extraFrames ?? []) ws.send(text)
      const started = Date.now()
      let talked = 0
      const payload = () => {
        const talk = script.talk
        if (talk === undefined || Date.now() - started < talk.atMs || talked >= talk.pcm.length) return frame
        const piece = talk.pcm.subarray(talked, talked + chunkBytes)
        talked += chunkBytes
        const padded = new Uint8Array(chunkBytes)
        padded.set(piece)
        return Buffer.from(padded).toString("base64")
      }
      media = setInterval(() => {
        chunk++
        // Built by hand, not by JSON.stringify: re-escaping a 4 KB payload ten times a second per stream is most
        // of a simulator's CPU at a thousand streams, and the benchmark shares the machine with the server.
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(
            `{"event":"media","sequence_number":"${++sequence}","stream_sid":"${streamSid}","media":{"chunk":"${chunk}",` +
              `"timestamp":"${Date.now() - started}","payload":"${payload()}"}}`,
          )
        }
      }, chunkEvery)
      // One timer at a time, each armed when the previous digit went out: Node runs due timers list by list
      // (one list per delay), so under a busy event loop independent timers can fire out of order — and a
      // keypad never sends "#" before the "0" pressed ahead of it.
      const digits = script.digits ?? []
      for (const _ of digits) latencies.push(null)
      const pressNext = (index: number) => {
        const next = digits[index]
        if (next === undefined) return
        timers.push(
          setTimeout(
            () => {
              if (ws.readyState !== WebSocket.OPEN) return
              pressed.add(index)
              pending.push({ sentAt: performance.now(), index })
              send("dtmf", { dtmf: { digit: next.digit, duration: "100" } })
              pressNext(index + 1)
            },
            Math.max(0, next.atMs - (Date.now() - started)),
          ),
        )
      }
      pressNext(0)
      if (script.hangupAtMs !== undefined) timers.push(setTimeout(() => hangUp("caller"), script.hangupAtMs))
      timers.push(setTimeout(() => hangUp("timeout"), script.maxMs ?? 60_000))
    })
    ws.on("message", (data) => {
      const text = data.toString()
      let message: { event?: unknown; media?: { payload?: unknown }; mark?: { name?: unknown } }
      try {
        message = JSON.parse(text)
      } catch {
        badFrames.push(text)
        return
      }
      if (message.event === "media" && typeof message.media?.payload === "string") {
        mediaFrames++
        mediaBytes += Buffer.byteLength(message.media.payload, "base64")
        if (script.keepAudio === true) audio.push(Buffer.from(message.media.payload, "base64"))
        const now = performance.now()
        for (const p of pending.splice(0)) latencies[p.index] = now - p.sentAt
      } else if (message.event === "mark" && typeof message.mark?.name === "string") {
        marks.push(message.mark.name)
        if (marks.length === script.hangupAfterMarks) hangUp("caller")
      } else if (message.event === "clear") {
        clears++
      } else {
        badFrames.push(text)
      }
    })
    ws.on("close", finish)
    ws.on("error", (error) => {
      if (!finished) reject(error)
    })
  })
