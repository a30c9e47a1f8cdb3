// Who answers the simulator's streamed calls: a simulated vendor or rider on the keypad, dialling into the
// gateway's voice-stream WebSocket with real audio frames. Plugged into the Exotel simulator's stream seam,
// so `npm start` in simulator mode runs a voice flow end to end with nothing outside the process.
import { Effect, Layer } from "effect"
import { SimStreamDialer, type StreamedCall } from "../exotel/ExotelSimulator.js"
import { playCall } from "./StreamCaller.js"

/** Presses 1 (accept), then 2 5 # (a prep time of 25 minutes where one is asked for), then stays until hung up. */
export const acceptingCallee = [
  { atMs: 1500, digit: "1" },
  { atMs: 3500, digit: "2" },
  { atMs: 3700, digit: "5" },
  { atMs: 3900, digit: "#" },
] as const

const answer = (call: StreamedCall) =>
  Effect.tryPromise(() =>
    playCall({
      url: call.streamUrl,
      callSid: call.callSid,
      from: call.from,
      to: call.callerId,
      digits: acceptingCallee,
      maxMs: 60_000,
    }),
  ).pipe(
    Effect.tapError((error) => Effect.logWarning("Simulated callee could not finish its call", error)),
    Effect.ignore,
  )

export const SimulatedCalleesLive = Layer.succeed(SimStreamDialer, { dial: answer })
