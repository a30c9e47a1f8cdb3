// POST /number-masking: store the mapping with its expiry, ask Exotel for a GreenVN, store the number.
import { HttpApiBuilder } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Clock, Effect, Layer, Schedule } from "effect"
import { NumberMask } from "../../api/masking.js"
import { newId } from "../../config/callbackUrls.js"
import { Settings } from "../../config/Settings.js"
import { Forbidden } from "../../domain/errors.js"
import { failWith } from "../../services/upstreamFailures.js"
import { ExotelClient } from "../../upstream/exotel/ExotelClient.js"
import { GatewayApi } from "../GatewayApi.js"
import { idempotent } from "../idempotency.js"

export const MaskingHandlersLive = HttpApiBuilder.group(GatewayApi, "masking", (handlers) =>
  Effect.gen(function* () {
    const settings = yield* Settings
    const exotel = yield* ExotelClient
    const sql = yield* SqlClient.SqlClient
    return handlers.handle("createMask", ({ payload, headers }) =>
      Effect.gen(function* () {
        if (!(yield* settings.current).features.numberMaskingEnabled) {
          return yield* new Forbidden({ message: "The numberMaskingEnabled feature is switched off" })
        }
        const id = newId("mask")
        const now = yield* Clock.currentTimeMillis
        const expiresAt = new Date(now + payload.expiresInHours * 3_600_000)
        yield* sql`INSERT INTO number_masks (id, party_a, party_b, call_type, context, status, expires_at)
          VALUES (${id}, ${payload.partyA}, ${payload.partyB}, ${payload.callType}, ${payload.context ?? null},
            'allocating', ${expiresAt})`.pipe(Effect.orDie)
        const allocation = yield* exotel
          .allocateMask({
            connectionId: id,
            partyA: payload.partyA,
            partyB: payload.partyB,
            usage: "twoway",
            // Exotel deallocates on its side at the same moment the mapping expires here.
            durationSeconds: payload.expiresInHours * 3600,
          })
          .pipe(
            Effect.catchAll(
              failWith((error) =>
                sql`UPDATE number_masks SET status = 'failed', error = ${error} WHERE id = ${id}`.pipe(
                  Effect.asVoid,
                  Effect.orDie,
                ),
              ),
            ),
          )
        yield* sql`UPDATE number_masks SET status = 'active', virtual_number = ${allocation.greenvn},
            greenvn_id = ${allocation.greenvnId} WHERE id = ${id}`.pipe(Effect.orDie)
        return { virtualNumber: allocation.greenvn, expiresAt: expiresAt.toISOString(), mappingId: id }
      }).pipe(idempotent("number-masking", headers["idempotency-key"], NumberMask)),
    )
  }),
)

/** Marks masks past their expiry as expired, once a minute; reading code also checks expires_at itself. */
export const MaskExpiryLive = Layer.scopedDiscard(
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE number_masks SET status = 'expired' WHERE status = 'active' AND expires_at <= NOW()`.pipe(
      Effect.ignore,
      Effect.repeat(Schedule.spaced("1 minute")),
      Effect.forkScoped,
    )
  }),
)
