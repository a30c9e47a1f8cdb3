// Helpers for tests that go through the gateway to the Exotel simulator: its ledger, JSON posts, and waiting
// (on the real clock) for a status callback to land.

import type { HttpClientResponse } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { Duration, Effect, Option, Schedule, Schema } from "effect"
import { InProcessSimulator } from "../../src/inProcessSimulator.js"
import { asAdmin } from "./testGateway.js"

export const simulator = Effect.flatMap(InProcessSimulator, (sim) =>
  Option.match(sim, {
    onNone: () => Effect.dieMessage("this gateway runs no in-process simulator"),
    onSome: Effect.succeed,
  }),
)

export const ledger = Effect.map(simulator, (sim) => sim.ledger)

const JsonObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** A response's status and its JSON object body. */
const answer = (response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(Effect.flatMap(response.json, Schema.decodeUnknown(JsonObject)), (body) => ({
    status: response.status,
    body,
  })).pipe(Effect.orDie)

export const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  Effect.flatMap(asAdmin, (client) =>
    client
      .execute(
        HttpClientRequest.post(`/api/exotel${path}`).pipe(
          HttpClientRequest.bodyUnsafeJson(body),
          HttpClientRequest.setHeaders(headers),
        ),
      )
      .pipe(Effect.flatMap(answer), Effect.scoped),
  )

export const get = (path: string) =>
  Effect.flatMap(asAdmin, (client) =>
    client.get(`/api/exotel${path}`).pipe(Effect.flatMap(answer), Effect.scoped),
  )

export const put = (path: string, body: unknown) =>
  Effect.flatMap(asAdmin, (client) =>
    client
      .execute(HttpClientRequest.put(`/api/exotel${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body)))
      .pipe(Effect.flatMap(answer), Effect.scoped),
  )

/** Repeats `read` on the real clock until `done` holds, for at most `within`. */
export const eventually = <A, E, R>(
  read: Effect.Effect<A, E, R>,
  done: (a: A) => boolean,
  within: Duration.DurationInput = "5 seconds",
) =>
  read.pipe(
    Effect.filterOrFail(done, () => "not yet" as const),
    Effect.retry({ schedule: Schedule.spaced("25 millis"), while: (e) => e === "not yet" }),
    Effect.timeoutFail({
      duration: within,
      onTimeout: () => new Error(`condition not reached within ${Duration.format(within)}`),
    }),
  )

/** "HH:mm" in Asia/Kolkata (UTC+5:30, no DST) of now shifted by `minutes`. */
export const istClock = (minutes: number) => {
  const shifted = new Date(Date.now() + (330 + minutes) * 60_000)
  return shifted.toISOString().slice(11, 16)
}

/** A DND window from an hour ago to an hour ahead, and a promotional window of the whole day. */
export const dndNow = {
  timezone: "Asia/Kolkata",
  dndStart: istClock(-60),
  dndEnd: istClock(60),
  promoSmsStart: "00:00",
  promoSmsEnd: "24:00",
}

/** No DND at all and promotions all day: every purpose is allowed now. */
export const allowAll = {
  timezone: "Asia/Kolkata",
  dndStart: "00:00",
  dndEnd: "00:00",
  promoSmsStart: "00:00",
  promoSmsEnd: "24:00",
  businessHoursStart: "00:00",
  businessHoursEnd: "24:00",
  weekendCallsAllowed: true,
}
