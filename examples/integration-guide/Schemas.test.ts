// The gateway's Schemas at a backend's own edges: the input Schemas are the ones its services and its HTTP API
// decode with, so a backend can refuse a bad request before queuing it, with the same words; the event
// Schemas decode the bodies the gateway POSTs to EVENT_WEBHOOK_URLS.
import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import {
  AgentCreate,
  AgentStatusChange,
  AgentsQuery,
  BulkSmsRequest,
  CallEvent,
  CampaignRequest,
  ClickToCallRequest,
  DomainEvent,
  DomainEventType,
  OrderEvent,
  PendingCallsQuery,
  PreviewDecision,
  RiderAssignRequest,
  ScheduleCallRequest,
  ScheduledCallStatsQuery,
  SendSmsRequest,
  VendorConfirmRequest,
  VerifiedCallRequest,
  WhatsAppRequest,
} from "exotel-voice-gateway"

/** The paths of the fields a value is refused for; none when it is accepted. */
const refusedFields = <A, I>(schema: Schema.Schema<A, I>, value: unknown) =>
  Either.match(Schema.decodeUnknownEither(schema, { errors: "all" })(value), {
    onLeft: (error) => ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => i.path.join(".")),
    onRight: () => [],
  })

const phone = "+919123456789"

/** A request the Schema takes as it is, and one it refuses for the field named. */
const decides = <A, I>(
  name: string,
  schema: Schema.Schema<A, I>,
  good: NoInfer<I>,
  bad: unknown,
  field: string,
) =>
  it(`${name} accepts a good request and names the field of a bad one`, () => {
    expect(refusedFields(schema, good)).toEqual([])
    expect(refusedFields(schema, bad)).toContain(field)
  })

describe("the input Schemas", () => {
  decides(
    "ClickToCallRequest",
    ClickToCallRequest,
    { agentPhone: phone, customerPhone: phone },
    { agentPhone: "12", customerPhone: phone },
    "agentPhone",
  )
  decides(
    "VerifiedCallRequest",
    VerifiedCallRequest,
    { phone, reason: "Order Delivery Update" },
    { phone: "x", reason: "Order Delivery Update" },
    "phone",
  )
  decides(
    "SendSmsRequest",
    SendSmsRequest,
    { to: phone, message: "Hello" },
    { to: phone, message: "" },
    "message",
  )
  decides(
    "BulkSmsRequest",
    BulkSmsRequest,
    { recipients: [phone], message: "Hello" },
    { recipients: [], message: "Hello" },
    "recipients",
  )
  decides(
    "WhatsAppRequest",
    WhatsAppRequest,
    { to: phone, templateName: "order_confirmation" },
    { to: "1", templateName: "order_confirmation" },
    "to",
  )
  const vendor = { orderId: 1, vendorId: 2, vendorPhone: phone, vendorName: "Sharma Dhaba", orderAmount: 450 }
  decides("VendorConfirmRequest", VendorConfirmRequest, vendor, { ...vendor, vendorId: 0 }, "vendorId")
  const rider = {
    orderId: 1,
    riderId: 3,
    riderPhone: phone,
    riderName: "Ramesh",
    vendorName: "Sharma Dhaba",
    vendorAddress: "Main Road",
  }
  decides("RiderAssignRequest", RiderAssignRequest, rider, { ...rider, riderPhone: "0" }, "riderPhone")
  decides(
    "ScheduleCallRequest",
    ScheduleCallRequest,
    { phone, purpose: "order_confirmation" },
    { phone, purpose: "gossip" },
    "purpose",
  )
  const campaign = {
    name: "Batch",
    purpose: "delivery_update",
    dialerType: "agentless",
    contacts: [{ phone }],
  } as const
  decides("CampaignRequest", CampaignRequest, campaign, { ...campaign, dialerType: "robotic" }, "dialerType")
  decides(
    "PreviewDecision",
    PreviewDecision,
    { agentId: "agt_1", contactId: "7", decision: "accept" },
    { agentId: "agt_1", contactId: "7", decision: "maybe" },
    "decision",
  )
  decides("AgentCreate", AgentCreate, { name: "Vik", phone }, { name: " ", phone }, "name")
  decides("AgentStatusChange", AgentStatusChange, { status: "free" }, { status: "asleep" }, "status")
  decides("AgentsQuery", AgentsQuery, { campaignId: "cmp_1" }, { campaignId: 7 }, "campaignId")
  decides("PendingCallsQuery", PendingCallsQuery, { limit: 10 }, { limit: 1001 }, "limit")
  decides("ScheduledCallStatsQuery", ScheduledCallStatsQuery, { period: "7d" }, { period: "1y" }, "period")
})

describe("the event Schemas", () => {
  const vendorAccepted = {
    eventId: "call_1:VENDOR_ACCEPTED",
    type: "VENDOR_ACCEPTED",
    callId: "call_1",
    callType: "vendor_confirmation",
    orderId: 12345,
    vendorId: 67,
    riderId: null,
    prepTimeMinutes: null,
    reason: null,
    occurredAt: "2024-01-20T14:00:00.000Z",
  }
  const orderPlaced = {
    eventId: "ord_1:ORDER_PLACED",
    type: "ORDER_PLACED",
    sessionId: "ord_1",
    phone,
    items: [{ name: "Dal makhani", quantity: 2, price: 180 }],
    total: 360,
    channel: "voice",
    callSid: "sid_1",
    occurredAt: "2024-01-20T14:00:00.000Z",
  }

  it("decode the webhooks the gateway POSTs, by type", () => {
    expect(refusedFields(CallEvent, vendorAccepted)).toEqual([])
    expect(refusedFields(OrderEvent, orderPlaced)).toEqual([])
    expect(refusedFields(DomainEvent, vendorAccepted)).toEqual([])
    expect(refusedFields(DomainEvent, orderPlaced)).toEqual([])
    expect(Schema.is(DomainEventType)(vendorAccepted.type)).toBe(true)
    expect(Schema.is(DomainEventType)(orderPlaced.type)).toBe(false)
    expect(refusedFields(CallEvent, { ...vendorAccepted, type: "VENDOR_SHRUGGED" })).toContain("type")
  })
})
