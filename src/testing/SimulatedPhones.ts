// The phones of a test: what each number does when the simulated Exotel rings it for a voice flow — answer,
// press digits at set times, hang up. It plugs into the simulator's stream seam, so the call reaches the
// gateway's voice-stream socket exactly as Exotel's would, real audio frames and all.
import { Context, Effect, Either, Layer, Ref, Schema } from "effect"
import { PhoneNumber } from "../domain/PhoneNumber.js"
import { SimStreamDialer, type StreamedCall } from "../sim/exotel/ExotelSimulator.js"
import { playCall } from "../sim/streamCaller/StreamCaller.js"

export interface Keypress {
  readonly atMs: number
  readonly digit: string
}

/** What a phone does once answered; `hangUpAtMs` none: it stays on the line until the gateway hangs up. */
export interface PhoneBehaviour {
  readonly press: ReadonlyArray<Keypress>
  readonly hangUpAtMs?: number
}

/**
 * Groups of keys pressed one after another: the first group 1.5 s after answering (the greeting is playing;
 * a key barges in), each later group 2 s after the one before, keys within a group 200 ms apart.
 * `pressing("1", "25#")`: accept, then a prep time of 25 minutes.
 */
export const pressing = (...groups: ReadonlyArray<string>): PhoneBehaviour => ({
  press: groups.flatMap((group, g) =>
    [...group].map((digit, i) => ({ atMs: 1_500 + g * 2_000 + i * 200, digit })),
  ),
})

/** Answers, says nothing, and hangs up after `afterMs`. */
export const hangsUp = (afterMs: number): PhoneBehaviour => ({ press: [], hangUpAtMs: afterMs })

export interface SimulatedPhonesShape {
  /** From now on, when this number is called, it behaves so. Numbers ending 991/992 are busy/unanswered. */
  readonly program: (phone: string, behaviour: PhoneBehaviour) => Effect.Effect<void>
}

export class SimulatedPhones extends Context.Tag("SimulatedPhones")<
  SimulatedPhones,
  SimulatedPhonesShape
>() {}

// A phone nobody programmed answers and stays silent: the flow re-prompts and gives up, as with a real person
// who picks up and says nothing.
const silent: PhoneBehaviour = { press: [], hangUpAtMs: 30_000 }

// Programmed as the test writes it ("9800000001"), dialled as Exotel sends it ("+919800000001").
const e164 = (phone: string) => Either.getOrElse(Schema.decodeUnknownEither(PhoneNumber)(phone), () => phone)

/** SimulatedPhones, and the simulator's stream dialer that consults it. */
export const SimulatedPhonesLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const programs = yield* Ref.make(new Map<string, PhoneBehaviour>())
    const answer = (call: StreamedCall) =>
      Effect.gen(function* () {
        const behaviour = (yield* Ref.get(programs)).get(call.from) ?? silent
        yield* Effect.tryPromise(() =>
          playCall({
            url: call.streamUrl,
            callSid: call.callSid,
            from: call.from,
            to: call.callerId,
            digits: behaviour.press,
            ...(behaviour.hangUpAtMs === undefined ? {} : { hangupAtMs: behaviour.hangUpAtMs }),
            maxMs: 120_000,
          }),
        )
      }).pipe(Effect.ignore)
    return Layer.merge(
      Layer.succeed(SimulatedPhones, {
        program: (phone, behaviour) => Ref.update(programs, (m) => new Map(m).set(e164(phone), behaviour)),
      }),
      Layer.succeed(SimStreamDialer, { dial: answer }),
    )
  }),
)
