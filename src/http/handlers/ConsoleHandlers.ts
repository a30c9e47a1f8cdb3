// GET /console/session and GET /console/events (Server-Sent Events from the gateway's buses: call status
// changes, Nerve calls' steps, domain events).
import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Clock, Deferred, Effect, Schema, Stream } from "effect"
import { CallStatusChanges } from "../../actors/CallStatusChanges.js"
import { DomainEvents } from "../../actors/DomainEvents.js"
import { VoiceCallActivity } from "../../actors/VoiceCallActivity.js"
import { ConsoleEvent } from "../../api/console.js"
import { CallsRepo } from "../../store/CallsRepo.js"
import { VoiceCallsRepo } from "../../store/VoiceCallsRepo.js"
import { Principal } from "../Authentication.js"
import { GatewayApi } from "../GatewayApi.js"

const keepAliveEvery = "15 seconds"
/** The calls already live when a stream opens come first; older unended rows are calls whose end was lost. */
const snapshotHours = 2
const snapshotLimit = 200
const encodeEvent = Schema.encodeSync(ConsoleEvent)
const frame = (event: ConsoleEvent) => `data: ${JSON.stringify(encodeEvent(event))}\n\n`

export const ConsoleHandlersLive = HttpApiBuilder.group(GatewayApi, "console", (handlers) =>
  Effect.gen(function* () {
    const statusChanges = yield* CallStatusChanges
    const domainEvents = yield* DomainEvents
    const voiceCalls = yield* VoiceCallActivity
    const callsRepo = yield* CallsRepo
    const voiceCallsRepo = yield* VoiceCallsRepo
    const liveNow = Effect.zipWith(
      callsRepo.openCalls(snapshotHours, snapshotLimit),
      voiceCallsRepo.openCalls(snapshotHours, snapshotLimit),
      (calls, nerveCalls): ReadonlyArray<ConsoleEvent> => [
        ...calls.map(
          (call): ConsoleEvent => ({
            _tag: "CallStatus",
            callId: call.id,
            kind: call.kind,
            status: call.status,
            terminal: false,
            durationSeconds: null,
            at: call.createdAt.toISOString(),
          }),
        ),
        ...nerveCalls.map(
          ({ record, flow }): ConsoleEvent => ({
            _tag: "VoiceCallStep",
            callId: record.id,
            callType: flow.callType,
            status: flow.status,
            ended: false,
            attempt: flow.attempt,
            orderId: record.orderId,
            vendorId: record.vendorId,
            riderId: record.riderId,
            key: null,
            prompt: null,
            promptPlaying: false,
            at: (record.createdAt ?? new Date()).toISOString(),
          }),
        ),
      ],
      { concurrent: true },
    )
    // Open streams end when the gateway shuts down, so they never hold the server's close for its grace period.
    const shutdown = yield* Deferred.make<void>()
    yield* Effect.addFinalizer(() => Deferred.succeed(shutdown, undefined))
    const events = Stream.unwrapScoped(
      Effect.gen(function* () {
        const calls = yield* statusChanges.subscribe
        const domain = yield* domainEvents.subscribe
        const steps = yield* voiceCalls.subscribe
        // Taken after subscribing, so a call that starts meanwhile is in one or the other (or both: the
        // console folds events by call id).
        const snapshot = yield* liveNow
        return Stream.fromIterable(snapshot).pipe(
          Stream.concat(
            Stream.mergeAll(
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
            ),
          ),
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
