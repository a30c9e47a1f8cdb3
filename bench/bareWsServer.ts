// The baseline for bench/voiceStream.ts: a bare `ws` server that parses the same stream messages and answers
// each digit with the same read-back prompt (a 200 ms DTMF tone, one 3,200-byte frame, then a mark) — no
// sessions, no supervision, no database. Like the gateway, it lets in only a stream with the Basic credential
// it was given (BENCH_STREAM_AUTHORIZATION, the whole header). Prints its port on stdout.
import type { IncomingMessage } from "node:http"
import { WebSocketServer } from "ws"
import { toBase64 } from "../src/stream/audio.js"
import { toneSpeech } from "../src/stream/speech/TextToSpeech.js"

const prompts = new Map<string, string>()
const promptFor = (digit: string) => {
  let p = prompts.get(digit)
  if (p === undefined) {
    p = toBase64(toneSpeech(`You pressed ${digit}`, 8000))
    prompts.set(digit, p)
  }
  return p
}

const authorization = process.env.BENCH_STREAM_AUTHORIZATION

const server = new WebSocketServer({
  host: "127.0.0.1",
  port: 0,
  perMessageDeflate: false,
  verifyClient: (info: { readonly req: IncomingMessage }) =>
    authorization === undefined || info.req.headers.authorization === authorization,
})
server.on("connection", (socket) => {
  let streamSid = ""
  let presses = 0
  socket.on("message", (data) => {
    let message: {
      event?: string
      stream_sid?: string
      start?: { stream_sid?: string }
      dtmf?: { digit?: string }
    }
    try {
      message = JSON.parse(data.toString())
    } catch {
      return
    }
    if (message.event === "start") streamSid = message.stream_sid ?? message.start?.stream_sid ?? ""
    if (message.event === "dtmf" && typeof message.dtmf?.digit === "string") {
      presses++
      socket.send(
        JSON.stringify({
          event: "media",
          stream_sid: streamSid,
          media: { payload: promptFor(message.dtmf.digit) },
        }),
      )
      socket.send(
        JSON.stringify({ event: "mark", stream_sid: streamSid, mark: { name: `digit-${presses}` } }),
      )
    }
    if (message.event === "stop") socket.close(1000)
  })
})
server.on("listening", () => {
  const address = server.address()
  if (typeof address === "object" && address !== null) process.stdout.write(`${address.port}\n`)
})
