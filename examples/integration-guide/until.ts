// Waiting in a test for what the gateway does on its own: a dispatcher placing a call, a campaign completing.
import { Effect, Schedule } from "effect"

/** Reads until the answer is the one wanted (on the real clock: the calls are real), for up to 30 s. */
export const until = <A, E, R>(read: Effect.Effect<A, E, R>, done: (a: A) => boolean) =>
  Effect.repeat(read, {
    schedule: Schedule.addDelay(Schedule.identity<A>(), () => "100 millis"),
    until: done,
  }).pipe(Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => "never came" as const }))
