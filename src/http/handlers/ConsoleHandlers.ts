// GET /console/session and GET /console/events (Server-Sent Events from the gateway's buses: call status
// changes, Nerve calls' steps, domain events).
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Clock, Deferred, Effect, Schema, Stream } from "effect"
import { CallStatusChanges } from "../../actors/CallStatusChanges.js"
import { DomainEvents } from "../../actors/DomainEvents.js"
import { VoiceCallActivity } from "../../actors/VoiceCallActivity.js"
import { ConsoleEvent } from "../../api/console.js"
import { Principal } from "../Authentication.js"
import { GatewayApi } from "../GatewayApi.js"

const keepAliveEvery = "15 seconds"
const encodeEvent = Schema.encodeSync(ConsoleEvent)
const frame = (event: ConsoleEvent) => `data: ${JSON.stringify(encodeEvent(event))}\n\n`

export const ConsoleHandlersLive = HttpApiBuilder.group(GatewayApi, "console", (handlers) =>
  Effect.gen(function* () {
    const statusChanges = yield* CallStatusChanges
    const domainEvents = yield* DomainEvents
    const voiceCalls = yield* VoiceCallActivity
    // Open streams end when the gateway shuts down, so they never hold the server's close for its grace period.
    const shutdown = yield* Deferred.make<void>()
    yield* Effect.addFinalizer(() => Deferred.succeed(shutdown, undefined))
    const events = Stream.unwrapScoped(
      Effect.gen(function* () {
        const calls = yield* statusChanges.subscribe
        const domain = yield* domainEvents.subscribe
        const steps = yield* voiceCalls.subscribe
        return Stream.mergeAll(
          [
            calls.pipe(
              Stream.mapEffect((change) =>
                Effect.map(
                  Clock.currentTimeMillis,
                  (now): ConsoleEvent => ({
                    _tag: "CallStatus",
                    callId: change.callId,
                    kind: change.kind,
                    status: change.status,
                    terminal: change.terminal,
                    durationSeconds: change.durationSeconds,
                    at: new Date(now).toISOString(),
                  }),
                ),
              ),
            ),
            domain.pipe(Stream.map((event): ConsoleEvent => ({ _tag: "Domain", event }))),
            steps.pipe(Stream.map((step): ConsoleEvent => ({ _tag: "VoiceCallStep", ...step }))),
          ],
          { concurrency: "unbounded" },
        )
      }),
    )
    return handlers
      .handle("session", () => Effect.map(Principal, ({ role, keyId }) => ({ role, keyId })))
      .handleRaw("events", () =>
        Effect.succeed(
          HttpServerResponse.stream(
            Stream.make("retry: 2000\n: open\n\n").pipe(
              Stream.concat(
                Stream.merge(
                  events.pipe(Stream.map(frame)),
                  Stream.tick(keepAliveEvery).pipe(
                    Stream.drop(1),
                    Stream.map(() => ": keep-alive\n\n"),
                  ),
                ),
              ),
              Stream.interruptWhen(Deferred.await(shutdown)),
              Stream.encodeText,
            ),
            {
              contentType: "text/event-stream",
              headers: { "cache-control": "no-cache", "x-accel-buffering": "no" },
            },
          ),
        ),
      )
  }),
)
