// The AI voice flows as a library service: confirm an order with its vendor, assign it to a rider, read an
// order's calls. The HTTP endpoints under /nerve are one client of it; a backend embedding the gateway is
// another. Inputs are the same Schemas the HTTP layer decodes, so both refuse the same bad input.
import { Context, Effect, Layer, Schema } from "effect"
import { type NewVoiceCall, type StartedCall, VoiceCalls } from "../actors/VoiceCalls.js"
import type { BadRequest } from "../domain/errors.js"
import { decodeInput } from "../domain/invalidInput.js"
import type { VoiceCallRecord } from "../domain/VoiceCallRecord.js"
import { RiderAssignRequest, VendorConfirmRequest } from "../domain/voiceFlowRequests.js"
import { VoiceCallsRepo } from "../store/VoiceCallsRepo.js"

/** The call could not be placed (Exotel or the Nerve system refused or did not answer). */
export class CallNotPlaced extends Schema.TaggedError<CallNotPlaced>()("CallNotPlaced", {
  message: Schema.String,
}) {}

export type VendorConfirmation = typeof VendorConfirmRequest.Encoded
export type RiderAssignment = typeof RiderAssignRequest.Encoded

export interface VoiceFlowsShape {
  /** Calls the vendor: 1 accepts (then the prep time in minutes, ended by #), 2 rejects (then a reason). */
  readonly confirmVendorOrder: (
    request: VendorConfirmation,
  ) => Effect.Effect<StartedCall, BadRequest | CallNotPlaced>
  /** Calls the rider: 1 accepts the delivery, 2 rejects it (or, for pickup_ready, 1 on the way, 2 delayed). */
  readonly assignRider: (request: RiderAssignment) => Effect.Effect<StartedCall, BadRequest | CallNotPlaced>
  /** Every voice call of an order, oldest first. */
  readonly callsForOrder: (orderId: number) => Effect.Effect<ReadonlyArray<VoiceCallRecord>>
}

export class VoiceFlows extends Context.Tag("VoiceFlows")<VoiceFlows, VoiceFlowsShape>() {}

/** The voice call a vendor confirmation places. */
export const vendorCallOf = (r: typeof VendorConfirmRequest.Type): NewVoiceCall => ({
  callType: r.purpose === "prep_time" ? "vendor_prep_time" : "vendor_confirmation",
  orderId: r.orderId,
  vendorId: r.vendorId,
  riderId: null,
  phone: r.vendorPhone,
  language: r.language,
  details: {
    recipientName: r.vendorName,
    orderId: r.orderId,
    orderAmount: r.orderAmount,
    itemCount: r.itemCount ?? null,
    vendorName: r.vendorName,
    vendorAddress: null,
  },
  nerveBody: { ...r },
})

/** The voice call a rider assignment places. */
export const riderCallOf = (r: typeof RiderAssignRequest.Type): NewVoiceCall => ({
  callType: r.purpose === "pickup_ready" ? "rider_pickup_ready" : "rider_assignment",
  orderId: r.orderId,
  vendorId: null,
  riderId: r.riderId,
  phone: r.riderPhone,
  language: r.language,
  details: {
    recipientName: r.riderName,
    orderId: r.orderId,
    orderAmount: r.estimatedAmount ?? null,
    itemCount: null,
    vendorName: r.vendorName,
    vendorAddress: r.vendorAddress,
  },
  nerveBody: { ...r },
})

export const VoiceFlowsLive = Layer.effect(
  VoiceFlows,
  Effect.gen(function* () {
    const calls = yield* VoiceCalls
    const repo = yield* VoiceCallsRepo
    const notPlaced = (e: { readonly message: string }) => new CallNotPlaced({ message: e.message })

    return VoiceFlows.of({
      confirmVendorOrder: (request) =>
        Effect.flatMap(decodeInput(VendorConfirmRequest, request), (r) =>
          Effect.mapError(calls.start(vendorCallOf(r)), notPlaced),
        ),
      assignRider: (request) =>
        Effect.flatMap(decodeInput(RiderAssignRequest, request), (r) =>
          Effect.mapError(calls.start(riderCallOf(r)), notPlaced),
        ),
      callsForOrder: repo.findByOrder,
    })
  }),
)
