// Which timing rules each call purpose must obey, per channel: the policy as a table.
import type { CallPurpose } from "../../domain/CallPurpose.js"
import type { Channel } from "../../domain/Timing.js"

/**
 * The rules a call or SMS may have to obey. A rule that is `false` is not checked.
 * - `workingDay`: not on a holiday, and not on Saturday or Sunday unless `weekendCallsAllowed`;
 * - `businessHours`: inside businessHoursStart–businessHoursEnd;
 * - `outsideDnd`: outside dndStart–dndEnd;
 * - `promoWindow`: inside promoSmsStart–promoSmsEnd.
 * Days and windows are read on the local wall clock of the configured timezone, and a day rule looks
 * at the local date of the instant itself (01:00 on Saturday is a Saturday, even inside a window that
 * opened on Friday evening).
 */
export interface TimingRule {
  readonly workingDay: boolean
  readonly businessHours: boolean
  readonly outsideDnd: boolean
  readonly promoWindow: boolean
}

/**
 * How a purpose is treated:
 * - transactional (`order_confirmation`, `otp_verification`, `delivery_update`): calls and SMS at any
 *   time. TRAI puts no time limit on transactional traffic, and a delivery at 23:30 still needs its update.
 * - service (`payment_reminder`, `feedback_request`, `support_callback`, `custom`, and no purpose at
 *   all): calls on working days, inside business hours and outside DND; SMS outside DND.
 * - promotional (`promotional_offer`, `abandoned_cart`): calls as service and also inside the
 *   promotional window; SMS inside the promotional window and outside DND, i.e. exactly `canPromoSms`.
 */
export type PurposeClass = "transactional" | "service" | "promotional"

export const purposeClasses: { readonly [P in CallPurpose]: PurposeClass } = {
  order_confirmation: "transactional",
  otp_verification: "transactional",
  delivery_update: "transactional",
  payment_reminder: "service",
  feedback_request: "service",
  support_callback: "service",
  custom: "service",
  promotional_offer: "promotional",
  abandoned_cart: "promotional",
}

/** A purpose's class; a call or SMS with no stated purpose is treated as service traffic. */
export const purposeClassOf = (purpose: CallPurpose | undefined): PurposeClass =>
  purpose === undefined ? "service" : purposeClasses[purpose]

const anyTime: TimingRule = { workingDay: false, businessHours: false, outsideDnd: false, promoWindow: false }

export const timingRules: { readonly [C in PurposeClass]: { readonly [K in Channel]: TimingRule } } = {
  transactional: { call: anyTime, sms: anyTime },
  service: {
    call: { workingDay: true, businessHours: true, outsideDnd: true, promoWindow: false },
    sms: { workingDay: false, businessHours: false, outsideDnd: true, promoWindow: false },
  },
  promotional: {
    call: { workingDay: true, businessHours: true, outsideDnd: true, promoWindow: true },
    sms: { workingDay: false, businessHours: false, outsideDnd: true, promoWindow: true },
  },
}

/** The rule for a promotional SMS, whatever the purpose asked about: `canPromoSms`. */
export const promoSmsRule: TimingRule = timingRules.promotional.sms

export const timingRuleFor = (purpose: CallPurpose | undefined, channel: Channel): TimingRule =>
  timingRules[purposeClassOf(purpose)][channel]
