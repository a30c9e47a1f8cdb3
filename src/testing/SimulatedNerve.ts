// The Nerve system of a test: the simulated AI voice-call orchestrator a gateway in NERVE_SYSTEM_URL mode asks to
// place each voice-flow call. It answers with a call sid, then runs the call by posting signed callbacks to the
// gateway, as the script programmed for the number says. A peer over real HTTP on loopback.
import { randomBytes } from "node:crypto"
import { Context, Effect, Either, Schema } from "effect"
import { PhoneNumber } from "../domain/PhoneNumber.js"
import { type NerveScript, startNerveSimulator, unanswered } from "../sim/nerve/NerveSimulator.js"

/** A call the gateway asked the Nerve system to place. */
export interface NerveCall {
  /** `/calls/vendor-confirm` or `/calls/rider-assign`. */
  readonly path: string
  /** The body the gateway sent: the seed's request, with its `callId` and `callbackUrl`. */
  readonly body: Readonly<Record<string, unknown>>
  readonly callSid: string
  /** The gateway's answer to each callback of the script, once all were sent. */
  readonly answers: Effect.Effect<ReadonlyArray<{ readonly status: number; readonly body: unknown }>>
}

export interface SimulatedNerveShape {
  /** From now on, a call to this number goes as the script says. A number not programmed rings unanswered. */
  readonly program: (phone: string, script: NerveScript) => Effect.Effect<void>
  /** Every call it was asked to place, oldest first. */
  readonly placed: Effect.Effect<ReadonlyArray<NerveCall>>
}

export class SimulatedNerve extends Context.Tag("SimulatedNerve")<SimulatedNerve, SimulatedNerveShape>() {}

// Programmed as the test writes it ("9800000001"), asked for as the gateway sends it ("+919800000001").
const e164 = (phone: string) => Either.getOrElse(Schema.decodeUnknownEither(PhoneNumber)(phone), () => phone)

const calledPhone = (body: Readonly<Record<string, unknown>>) => {
  const phone = body.vendorPhone ?? body.riderPhone
  return typeof phone === "string" ? e164(phone) : undefined
}

/**
 * The simulated Nerve system, listening on a free loopback port until the scope closes, with what the gateway
 * needs to reach it: its URL (NERVE_SYSTEM_URL) and the secret its callbacks are signed with
 * (NERVE_CALLBACK_SECRET).
 */
export const startSimulatedNerve = Effect.gen(function* () {
  const secret = randomBytes(18).toString("base64url")
  // A plain map: the simulator asks for a script synchronously, inside its request handler.
  const scripts = new Map<string, NerveScript>()
  const sim = yield* Effect.acquireRelease(
    Effect.promise(() =>
      startNerveSimulator({
        secret,
        scriptFor: (_path, body) => {
          const phone = calledPhone(body)
          return (phone === undefined ? undefined : scripts.get(phone)) ?? unanswered
        },
      }),
    ),
    (s) => Effect.promise(s.close),
  )
  const service = SimulatedNerve.of({
    program: (phone, script) =>
      Effect.sync(() => {
        scripts.set(e164(phone), script)
      }),
    placed: Effect.sync(() =>
      sim.placed.map((call) => ({
        path: call.path,
        body: call.body,
        callSid: call.callSid,
        answers: Effect.promise(() => call.answers),
      })),
    ),
  })
  return { service, url: sim.url, secret }
})
