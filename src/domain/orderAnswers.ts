// What an order's voice calls answered, at a glance: did the vendor accept (with what prep time) or reject (for
// what reason), and did the rider take the delivery. Read from the calls' statuses, as the statistics are. Pure.
import { decisionOfStatus } from "./VoiceCall.js"

/** The fields of a voice call the answer is read from. */
export interface AnsweringCall {
  readonly id: string
  readonly callType: string
  readonly status: string
  readonly vendorId: number | null
  readonly riderId: number | null
  readonly prepTimeMinutes: number | null
  readonly rejectionReason: string | null
}

export interface OrderAnswer {
  readonly callId: string
  readonly callType: string
  /** That call's status: its outcome once it ended. */
  readonly status: string
  /** Accepted or rejected; null while no call of this side has been answered. */
  readonly decision: "accepted" | "rejected" | null
  readonly prepTimeMinutes: number | null
  readonly rejectionReason: string | null
  readonly vendorId: number | null
  readonly riderId: number | null
}

export type OrderSide = "vendor" | "rider"

/** The flows whose answer is a side's decision; pickup-ready ("on the way" or "delayed") decides nothing. */
const sideOf = (callType: string): OrderSide | null =>
  callType === "vendor_confirmation" || callType === "vendor_prep_time"
    ? "vendor"
    : callType === "rider_assignment"
      ? "rider"
      : null

/**
 * The side's answer is its newest call that was answered (a later prep-time call updates the prep time; a
 * later vendor's acceptance replaces an earlier one's rejection); with none answered, its newest call, undecided.
 * `calls` are oldest first.
 */
export const answerOf = (calls: ReadonlyArray<AnsweringCall>, side: OrderSide): OrderAnswer | null => {
  const own = calls.filter((c) => sideOf(c.callType) === side)
  const chosen = own.findLast((c) => decisionOfStatus(c.status) !== null) ?? own.at(-1)
  if (chosen === undefined) return null
  return {
    callId: chosen.id,
    callType: chosen.callType,
    status: chosen.status,
    decision: decisionOfStatus(chosen.status),
    prepTimeMinutes: chosen.prepTimeMinutes,
    rejectionReason: chosen.rejectionReason,
    vendorId: chosen.vendorId,
    riderId: chosen.riderId,
  }
}
