// Voice ordering as the rest of the gateway sees it: one operation, `act`, that both POST /voice-ordering
// and a caller's keypad go through. Reads the session, lets the pure state machine decide, saves the session,
// its log line and its event's outbox rows in one statement, then announces the event. Two writers racing
// on one session are settled by the row's version: the loser re-reads and decides again (so of two
// confirms, one places the order and the other is told it is already placed).
import { Clock, Context, Effect, Either, Layer, Option } from "effect"
import type { OrderChannel, OrderEvent } from "../domain/VoiceOrder.js"
import { decide, type OrderCommand, type OrderRefusal, type OrderSession } from "../policy/voiceOrder.js"
import { VoiceOrdersRepo } from "../store/VoiceOrdersRepo.js"
import { DomainEvents } from "./DomainEvents.js"
import { WebhookOutbox } from "./WebhookOutbox.js"

export interface OrderActor {
  readonly channel: OrderChannel
  readonly callSid: string | null
  /** Kept with the action in the order's log: for a call, the keys pressed. */
  readonly detail?: unknown
}

export interface VoiceOrdersShape {
  readonly act: (
    sessionId: string,
    command: OrderCommand,
    by: OrderActor,
  ) => Effect.Effect<OrderSession, OrderRefusal>
  readonly find: (sessionId: string) => Effect.Effect<Option.Option<OrderSession>>
}

export class VoiceOrders extends Context.Tag("VoiceOrders")<VoiceOrders, VoiceOrdersShape>() {}

const maxRaces = 5

export const VoiceOrdersLive = Layer.effect(
  VoiceOrders,
  Effect.gen(function* () {
    const repo = yield* VoiceOrdersRepo
    const events = yield* DomainEvents
    const outbox = yield* WebhookOutbox

    /** None: another writer moved the session first, decide again. */
    const attempt = (
      sessionId: string,
      command: OrderCommand,
      by: OrderActor,
    ): Effect.Effect<Option.Option<Either.Either<OrderSession, OrderRefusal>>> =>
      Effect.gen(function* () {
        const current = yield* repo.find(sessionId)
        const decided = decide(current, command)
        if (Either.isLeft(decided)) return Option.some(Either.left<OrderRefusal>(decided.left))
        const session: OrderSession = {
          ...decided.right.session,
          callSid: by.callSid ?? decided.right.session.callSid,
        }
        const now = new Date(yield* Clock.currentTimeMillis).toISOString()
        const announced: ReadonlyArray<OrderEvent> = Option.match(decided.right.event, {
          onNone: () => [],
          onSome: (type) => [
            {
              // One placing and one cancellation per session at most: the type names the event.
              eventId: `${sessionId}:${type}`,
              type,
              sessionId,
              phone: session.phone,
              items: session.items,
              total: session.total,
              channel: by.channel,
              callSid: by.callSid,
              occurredAt: now,
            },
          ],
        })
        const expected = Option.match(current, { onNone: () => 0, onSome: (s) => s.version })
        const saved = yield* repo.save(
          session,
          expected,
          { action: command.action, channel: by.channel, callSid: by.callSid, detail: by.detail ?? null },
          announced,
        )
        if (!saved) return Option.none()
        yield* events.publish(announced)
        if (announced.length > 0) yield* outbox.wake
        return Option.some(Either.right<OrderSession>(session))
      })

    const act: VoiceOrdersShape["act"] = (sessionId, command, by) =>
      Effect.gen(function* () {
        for (let race = 0; race < maxRaces; race++) {
          const outcome = yield* attempt(sessionId, command, by)
          if (Option.isSome(outcome)) return yield* outcome.value
        }
        return yield* Effect.fail<OrderRefusal>({
          _tag: "InvalidTransition",
          message: `Order session ${sessionId} is changing too fast; try again`,
        })
      }).pipe(Effect.withSpan("VoiceOrders.act", { attributes: { sessionId, action: command.action } }))

    return VoiceOrders.of({ act, find: repo.find })
  }),
)
