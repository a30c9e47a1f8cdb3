// The seed's Integration Guide, step by step, with the gateway as a library: each step is a test through the
// public entry points only, so the README's code is code that runs.
import { expect, layer } from "@effect/vitest"
import { Effect, Fiber, Option, Queue, Schema, Stream } from "effect"
import {
  type BadRequest,
  BulkSmsResult,
  type CallFailure,
  CallInitiated,
  type CallNotPlaced,
  type CallOptions,
  CallScheduled,
  Calls,
  type DomainEvent,
  DomainEventType,
  handleEvents,
  type MessageFailure,
  type MessageOptions,
  Messaging,
  NotFound,
  type RiderAssignment,
  ScheduledCallDetail,
  ScheduledCallList,
  ScheduledCallStatsView,
  ScheduledCalls,
  ScheduledCallView,
  SmsAccepted,
  type StartedCall,
  subscribeEvents,
  VerifiedCallInitiated,
  VoiceFlows,
  WhatsAppAccepted,
} from "exotel-voice-gateway"
import {
  GatewayTest,
  hangsUp,
  type Keypress,
  type LedgerKind,
  type PhoneBehaviour,
  pressing,
  SimulatedPhones,
  simulatorLedger,
} from "exotel-voice-gateway/testing"
import { until } from "./until.js"

const sent = (kind: LedgerKind, field: string, value: string) =>
  Effect.map(simulatorLedger, (ledger) =>
    ledger.all().filter((e) => e.kind === kind && JSON.stringify(e.fields).includes(`"${field}":"${value}"`)),
  )

/** 23:00 in Kolkata (17:30 UTC) on the day after `now`: inside the default DND window, 21:00–09:00. */
const tomorrowAt23Kolkata = (now: number) => {
  const day = new Date(now + 86_400_000)
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 17, 30)).toISOString()
}

// The seed's functions, step by step, as a backend written with Effect writes them (the README shows these).

/** 2. Basic click-to-call. */
const makeCall: Effect.Effect<typeof CallInitiated.Type, BadRequest | CallFailure, Calls> = Effect.flatMap(
  Calls,
  (calls) =>
    calls.clickToCall({ agentPhone: "+919876543210", customerPhone: "+919123456789", recordCall: true }),
)

/** 3. Schedule a call: at the first instant the timing policy allows, retried by the retry policy. */
const scheduleOrderConfirmation = (orderId: string, phone: string) =>
  Effect.flatMap(ScheduledCalls, (scheduler) =>
    scheduler.schedule({ phone, purpose: "order_confirmation", context: { orderId }, useVerifiedCall: true }),
  )

/** 4. Send an SMS: in India with its DLT template (and entity, else EXOTEL_DLT_ENTITY_ID's) ids. */
const sendOrderConfirmation = (
  orderId: string,
  phone: string,
  options?: MessageOptions,
): Effect.Effect<typeof SmsAccepted.Type, MessageFailure, Messaging> =>
  Effect.flatMap(Messaging, (messaging) =>
    messaging.sendSms(
      {
        to: phone,
        message: `Your order ${orderId} has been confirmed.`,
        templateId: "TEMPLATE_123",
        dltTemplateId: "1207160000000000001",
        dltEntityId: "1201159100000000001",
      },
      options,
    ),
  )

/** 5. Vendor confirmation: an AI voice call the vendor answers with the keypad. */
const confirmVendorOrder = (
  orderId: number,
  vendor: { readonly id: number; readonly phone: string; readonly name: string },
  total: number,
): Effect.Effect<StartedCall, BadRequest | CallNotPlaced, VoiceFlows> =>
  Effect.flatMap(VoiceFlows, (flows) =>
    flows.confirmVendorOrder({
      orderId,
      vendorId: vendor.id,
      vendorPhone: vendor.phone,
      vendorName: vendor.name,
      orderAmount: total,
      language: "hi",
    }),
  )

layer(GatewayTest(), { timeout: 120_000, excludeTestServices: true })("the Integration Guide", (it) => {
  it.effect("2. click-to-call connects the agent and the customer", () =>
    Effect.gen(function* () {
      const result = yield* makeCall
      expect(result).toEqual({ callSid: expect.any(String), status: "initiated" })
      expect(Schema.is(CallInitiated)(result)).toBe(true)
      expect(yield* sent("call", "To", "+919123456789")).toHaveLength(1)
    }),
  )

  it.effect(
    "2b. the same idempotency key twice places one call; a bad number is a BadRequest naming it",
    () =>
      Effect.gen(function* () {
        const calls = yield* Calls
        const request = { agentPhone: "+919876543210", customerPhone: "+919123450001" }
        const once: CallOptions = { idempotencyKey: "order-42-call" }
        const first = yield* calls.clickToCall(request, once)
        const second = yield* calls.clickToCall(request, once)
        expect(second).toEqual(first)
        expect(yield* sent("call", "To", "+919123450001")).toHaveLength(1)
        const refused = yield* Effect.flip(
          calls.clickToCall({ agentPhone: "12", customerPhone: "+919123450001" }),
        )
        expect(refused).toMatchObject({ _tag: "BadRequest", field: "agentPhone" })
      }),
  )

  it.effect("2c. a verified call shows the reason from the verified ExoPhone", () =>
    Effect.gen(function* () {
      const result = yield* (yield* Calls).verifiedCall({
        phone: "+919123450002",
        reason: "Order Delivery Update",
        orderId: "ORDER-12345",
      })
      expect(result).toMatchObject({ status: "initiated", verifiedExoPhone: "08040000000" })
      expect(Schema.is(VerifiedCallInitiated)(result)).toBe(true)
    }),
  )

  it.effect(
    "3. scheduling: an order confirmation goes out at once; the call it places cannot be cancelled",
    () =>
      Effect.gen(function* () {
        const scheduler = yield* ScheduledCalls
        const scheduled = yield* scheduleOrderConfirmation("ORDER-12345", "+919123450010")
        expect(Schema.is(CallScheduled)(scheduled)).toBe(true)
        // A transactional purpose may call at any hour: the slot is now, and the dispatcher places it.
        expect(scheduled).toMatchObject({ status: "scheduled", movedBecause: null })
        const placed = yield* until(scheduler.get(scheduled.id), (call) =>
          call.attemptLog.some((a) => a.decision === "placed"),
        )
        expect(Schema.is(ScheduledCallDetail)(placed)).toBe(true)
        expect(placed).toMatchObject({ phone: "+919123450010", useVerifiedCall: true, attempts: 1 })
        expect(yield* sent("call", "From", "+919123450010")).toHaveLength(1)
        const refused = yield* Effect.flip(scheduler.cancel(scheduled.id))
        expect(refused).toMatchObject({ _tag: "Conflict" })
      }),
  )

  it.effect(
    "3b. scheduling: a reminder asked for in DND is moved to the morning, and cancelled before then",
    () =>
      Effect.gen(function* () {
        const scheduler = yield* ScheduledCalls
        const preferredTime = tomorrowAt23Kolkata(Date.now())
        const scheduled = yield* scheduler.schedule({
          phone: "+919123450011",
          purpose: "payment_reminder",
          preferredTime,
          context: { orderId: "ORDER-12346", orderAmount: 450 },
          retryConfig: { maxAttempts: 2 },
        })
        expect(scheduled.movedBecause).toContain("DND")
        // 09:00 in Kolkata, the next working morning.
        expect(scheduled.scheduledTime).toMatch(/T03:30:00\.000Z$/)
        expect(Date.parse(scheduled.scheduledTime)).toBeGreaterThan(Date.parse(preferredTime))
        const pending = yield* scheduler.listPending({ limit: 10 })
        expect(Schema.is(ScheduledCallList)(pending)).toBe(true)
        expect(pending.scheduledCalls.map((c) => c.id)).toContain(scheduled.id)
        const cancelled = yield* scheduler.cancel(scheduled.id)
        expect(Schema.is(ScheduledCallView)(cancelled)).toBe(true)
        expect(cancelled).toMatchObject({ status: "cancelled", retryConfig: { maxAttempts: 2 } })
        const log = yield* scheduler.get(scheduled.id)
        expect(log.attemptLog.map((a) => a.decision)).toEqual(["cancelled"])
        expect(yield* sent("call", "From", "+919123450011")).toHaveLength(0)
        const stats = yield* scheduler.stats({ period: "24h" })
        expect(Schema.is(ScheduledCallStatsView)(stats)).toBe(true)
        expect(stats.cancelled).toBeGreaterThanOrEqual(1)
      }),
  )

  it.effect("3c. scheduling: bad input is a BadRequest naming the field; an unknown call is NotFound", () =>
    Effect.gen(function* () {
      const scheduler = yield* ScheduledCalls
      const badPhone = yield* Effect.flip(scheduler.schedule({ phone: "12", purpose: "payment_reminder" }))
      expect(badPhone).toMatchObject({ _tag: "BadRequest", field: "phone" })
      const badPriority = yield* Effect.flip(
        scheduler.schedule({ phone: "+919123450012", purpose: "payment_reminder", priority: 11 }),
      )
      expect(badPriority).toMatchObject({ _tag: "BadRequest", field: "priority" })
      const badLimit = yield* Effect.flip(scheduler.listPending({ limit: 0 }))
      expect(badLimit).toMatchObject({ _tag: "BadRequest", field: "limit" })
      const unknown = yield* Effect.flip(scheduler.get("sched_nobody"))
      expect(unknown).toBeInstanceOf(NotFound)
    }),
  )

  it.effect("4. an SMS under DLT: sent with its template id, refused without one", () =>
    Effect.gen(function* () {
      const messaging = yield* Messaging
      const missing = yield* Effect.flip(
        messaging.sendSms({ to: "+919123450003", message: "Your order ORDER-1 has been confirmed." }),
      )
      expect(missing).toMatchObject({ _tag: "BadRequest" })
      const once: MessageOptions = { idempotencyKey: "order-1-confirmed" }
      const accepted = yield* sendOrderConfirmation("ORDER-1", "+919123450003", once)
      expect(accepted).toMatchObject({ status: "queued", encoding: "GSM-7", segments: 1 })
      expect(Schema.is(SmsAccepted)(accepted)).toBe(true)
      expect(yield* sendOrderConfirmation("ORDER-1", "+919123450003", once)).toEqual(accepted)
      expect(yield* sent("sms", "To", "+919123450003")).toHaveLength(1)
      const whatsApp = yield* messaging.sendWhatsApp({
        to: "+919123450003",
        templateName: "order_confirmation",
        variables: { orderId: "ORDER-1" },
      })
      expect(whatsApp).toMatchObject({ status: "accepted" })
      expect(Schema.is(WhatsAppAccepted)(whatsApp)).toBe(true)
      const bulk = yield* messaging.sendBulkSms({
        recipients: ["+919123450004", "+919123450005"],
        message: "Special offer",
        dltTemplateId: "1207160000000000001",
        dltEntityId: "1201159100000000001",
      })
      expect(bulk).toMatchObject({ total: 2, success: 2, failed: 0 })
      expect(Schema.is(BulkSmsResult)(bulk)).toBe(true)
    }),
  )

  it.effect("5 and 6. vendor confirmation, and handling VENDOR_ACCEPTED and VENDOR_PREP_TIME_SET", () =>
    Effect.gen(function* () {
      const received = yield* Queue.unbounded<DomainEvent>()
      yield* handleEvents({
        VENDOR_ACCEPTED: (event) => Queue.offer(received, event),
        VENDOR_PREP_TIME_SET: (event) => Queue.offer(received, event),
      })
      yield* (yield* SimulatedPhones).program("+919876500067", pressing("1", "30#"))
      const started = yield* confirmVendorOrder(
        5001,
        { id: 67, phone: "+919876500067", name: "Sharma Dhaba" },
        450,
      )
      expect(started).toMatchObject({ status: "initiated", message: "Call initiated" })
      const accepted = yield* Queue.take(received)
      const prepTime = yield* Queue.take(received)
      expect([accepted.type, prepTime.type]).toEqual(["VENDOR_ACCEPTED", "VENDOR_PREP_TIME_SET"])
      expect(Schema.is(DomainEventType)(accepted.type)).toBe(true)
      expect(prepTime).toMatchObject({ orderId: 5001, vendorId: 67, prepTimeMinutes: 30 })
      const calls = yield* (yield* VoiceFlows).callsForOrder(5001)
      expect(calls.map((c) => [c.status, c.prepTimeMinutes])).toEqual([["prep_time_set", 30]])
      // Every attempt is on the record: this one answered at the first.
      expect(calls.flatMap((c) => c.attempts.map((a) => [a.attempt, a.outcome]))).toEqual([
        [1, "prep_time_set"],
      ])
    }).pipe(Effect.scoped),
  )

  it.effect("a rider assignment, followed as a Stream of events", () =>
    Effect.gen(function* () {
      const events = yield* subscribeEvents
      const riderAccepted = yield* events.pipe(
        Stream.filter((e) => e.type === "RIDER_ACCEPTED" && e.orderId === 5002),
        Stream.runHead,
        Effect.fork,
      )
      // The rider's phone spelt out: one key, 1.5 s after answering (the greeting is still playing).
      const takesTheRide: PhoneBehaviour = { press: [{ atMs: 1_500, digit: "1" } satisfies Keypress] }
      yield* (yield* SimulatedPhones).program("+919876500089", takesTheRide)
      const assignment: RiderAssignment = {
        orderId: 5002,
        riderId: 89,
        riderPhone: "+919876500089",
        riderName: "Ramesh",
        vendorName: "Sharma Dhaba",
        vendorAddress: "Near SBI Bank, Main Road",
      }
      yield* (yield* VoiceFlows).assignRider(assignment)
      const event = yield* Fiber.join(riderAccepted)
      expect(Option.map(event, (e) => ("riderId" in e ? e.riderId : null))).toEqual(Option.some(89))
    }).pipe(Effect.scoped),
  )

  it.effect("a vendor who answers and hangs up at once: a failed attempt with no decision", () =>
    Effect.gen(function* () {
      yield* (yield* SimulatedPhones).program("+919876500070", hangsUp(500))
      const flows = yield* VoiceFlows
      yield* flows.confirmVendorOrder({
        orderId: 5003,
        vendorId: 70,
        vendorPhone: "+919876500070",
        vendorName: "Gupta Sweets",
        orderAmount: 300,
      })
      const [call] = yield* until(flows.callsForOrder(5003), (calls) =>
        calls.some((c) => !["initiated", "ringing", "answered"].includes(c.status)),
      )
      // Answered, then gone before a key: a failed attempt, to be tried again on the retry policy.
      expect(call).toMatchObject({
        status: "failed",
        attemptNumber: 1,
        dtmfDigits: null,
        rejectionReason: null,
      })
      expect(call?.answeredAt).not.toBeNull()
    }),
  )

  it.effect("bad input to a voice flow is a BadRequest naming the field", () =>
    Effect.gen(function* () {
      const refused = yield* Effect.flip(
        (yield* VoiceFlows).confirmVendorOrder({
          orderId: -1,
          vendorId: 67,
          vendorPhone: "+919876500067",
          vendorName: "Sharma Dhaba",
          orderAmount: 450,
        }),
      )
      expect(refused).toMatchObject({ _tag: "BadRequest", field: "orderId" })
    }),
  )
})
