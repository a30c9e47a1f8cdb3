// Helpers for tests that go through the gateway to the Exotel simulator: its ledger, JSON posts, and waiting
// (on the real clock) for a status callback to land.

import type { HttpClientResponse } from "@effect/platform"
import { HttpClientRequest } from "@effect/platform"
import { Duration, Effect, Option, Schedule, Schema } from "effect"
import { InProcessSimulator } from "../../src/sim/exotel/InProcessSimulator.js"
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
    Effect.repeat({ schedule: Schedule.spaced("25 millis"), until: done }),
    Effect.timeoutFail({
      duration: within,
      onTimeout: () => new Error(`condition not reached within ${Duration.format(within)}`),
    }),
  )
