// Delivers domain events to the configured webhook URLs from the webhook_outbox table: at least once, each
// POST carrying the event id for de-duplication, retried with exponential backoff. Rows are leased with
// FOR UPDATE SKIP LOCKED so two gateway processes never send the same row at once; no transaction is held
// while a POST is in flight (the embedded database has one connection).
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Context, Duration, Effect, Layer, Metric, Queue } from "effect"

export interface WebhookOutboxShape {
  /** Tells the sender that rows were written; it also polls every few seconds as a backstop. */
  readonly wake: Effect.Effect<void>
}

export class WebhookOutbox extends Context.Tag("WebhookOutbox")<WebhookOutbox, WebhookOutboxShape>() {}

const maxAttempts = 10
const leaseSeconds = 30
export const webhookDeliveries = Metric.counter("voice_event_webhooks_total")

/** 1 s, 2 s, 4 s … capped at 5 minutes: the backoff between delivery attempts of one row. */
export const deliveryBackoff = (attempts: number) => Math.min(300, 2 ** Math.max(0, attempts - 1))

interface DueRow {
  readonly id: string
  readonly eventId: string
  readonly url: string
  readonly eventType: string
  readonly payload: unknown
  readonly attempts: number
}

export const WebhookOutboxLive = Layer.scoped(
  WebhookOutbox,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const client = yield* HttpClient.HttpClient
    const signal = yield* Queue.sliding<void>(1)

    const lease = sql<DueRow>`
      UPDATE webhook_outbox SET next_attempt_at = NOW() + make_interval(secs => ${leaseSeconds}), attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM webhook_outbox
        WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= NOW()
        ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED)
      RETURNING id, event_id, url, event_type, payload, attempts`

    const deliver = (row: DueRow) =>
      HttpClientRequest.post(row.url).pipe(
        HttpClientRequest.setHeaders({ "x-event-id": row.eventId, "x-event-type": row.eventType }),
        HttpClientRequest.bodyUnsafeJson(
          typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
        ),
        client.execute,
        Effect.flatMap((r) =>
          r.status >= 200 && r.status < 300 ? Effect.void : Effect.fail(new Error(`HTTP ${r.status}`)),
        ),
        Effect.scoped,
        Effect.timeout("10 seconds"),
        Effect.matchEffect({
          onSuccess: () =>
            sql`UPDATE webhook_outbox SET delivered_at = NOW(), last_error = NULL WHERE id = ${row.id}`.pipe(
              Effect.zipRight(Metric.increment(Metric.tagged(webhookDeliveries, "result", "delivered"))),
            ),
          onFailure: (error) =>
            (row.attempts >= maxAttempts
              ? sql`UPDATE webhook_outbox SET failed_at = NOW(), last_error = ${String(error)} WHERE id = ${row.id}`
              : sql`UPDATE webhook_outbox SET last_error = ${String(error)},
                  next_attempt_at = NOW() + make_interval(secs => ${deliveryBackoff(row.attempts)}) WHERE id = ${row.id}`
            ).pipe(Effect.zipRight(Metric.increment(Metric.tagged(webhookDeliveries, "result", "retry")))),
        }),
      )

    const round = Effect.gen(function* () {
      const due = yield* lease
      yield* Effect.forEach(due, deliver, { concurrency: 8, discard: true })
      return due.length
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.as(Effect.logWarning("Webhook delivery round failed", cause), 0),
      ),
    )

    yield* Effect.gen(function* () {
      while (true) {
        const n = yield* round
        if (n === 0) yield* Queue.take(signal).pipe(Effect.timeout(Duration.seconds(2)), Effect.ignore)
      }
    }).pipe(Effect.forkScoped)

    return WebhookOutbox.of({ wake: Queue.offer(signal, undefined).pipe(Effect.asVoid) })
  }),
)
