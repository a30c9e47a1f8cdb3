// India's DLT rules for an SMS: which registered ids it must carry, and when a promotional one may go out.
import type { TimingConfig } from "../../domain/Timing.js"
import { checkTiming } from "../timing/decide.js"

export const smsTypes = ["transactional", "promotional", "transactional_opt_in"] as const
export type SmsType = (typeof smsTypes)[number]

export const maxBulkRecipients = 100

export interface DltFields {
  readonly dltEntityId: string | undefined
  readonly dltTemplateId: string | undefined
}

export interface MissingDltField {
  readonly _tag: "MissingDltField"
  readonly field: "dltEntityId" | "dltTemplateId"
  readonly message: string
}

export interface OutsidePromoWindow {
  readonly _tag: "OutsidePromoWindow"
  readonly message: string
  readonly nextAvailableTime: number | null
}

export type SmsRefusal = MissingDltField | OutsidePromoWindow

/**
 * Every commercial SMS to India is scrubbed against the sender's registered entity and template
 * (TCCCPR 2018): without both ids operators drop it, so it is refused here rather than paid for.
 */
export const missingDltField = (fields: DltFields): MissingDltField | undefined => {
  if (fields.dltEntityId === undefined || fields.dltEntityId.trim() === "")
    return {
      _tag: "MissingDltField",
      field: "dltEntityId",
      message:
        "dltEntityId: a DLT entity id is required (in the request or the exotel-dlt-entity-id setting)",
    }
  if (fields.dltTemplateId === undefined || fields.dltTemplateId.trim() === "")
    return {
      _tag: "MissingDltField",
      field: "dltTemplateId",
      message: "dltTemplateId: a DLT template id is required for transactional and promotional SMS",
    }
  return undefined
}

/** Promotional SMS only inside the promotional window and outside DND; other types at any hour. */
export const promoWindowRefusal = (
  instant: number,
  smsType: SmsType,
  timing: TimingConfig,
): OutsidePromoWindow | undefined => {
  if (smsType !== "promotional") return undefined
  const decision = checkTiming(instant, timing, "promotional_offer", "sms")
  if (decision.canPromoSms) return undefined
  return {
    _tag: "OutsidePromoWindow",
    message: `Promotional SMS is not allowed now: ${decision.reason ?? "outside the promotional window"}`,
    nextAvailableTime: decision.nextAvailableTime,
  }
}

/** The first reason to refuse an SMS, or undefined when it may be sent now. */
export const smsRefusal = (
  instant: number,
  smsType: SmsType,
  fields: DltFields,
  timing: TimingConfig,
): SmsRefusal | undefined => missingDltField(fields) ?? promoWindowRefusal(instant, smsType, timing)
