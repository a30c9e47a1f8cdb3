// A voice order session as a pure state machine: decide(session, command) → the next session and the event
// it announces, or why the command is refused. The total is always recomputed here from items × prices; a
// total the client sends is only a check of what it believes it is confirming.
import { Either, Option } from "effect"
import type {
  OrderChannel,
  OrderEventType,
  OrderItem,
  VoiceOrderAction,
  VoiceOrderStatus,
} from "../domain/VoiceOrder.js"

export interface OrderSession {
  readonly sessionId: string
  readonly phone: string
  readonly status: VoiceOrderStatus
  readonly items: ReadonlyArray<OrderItem>
  /** Rupees, recomputed from the items. */
  readonly total: number
  /** One more for every accepted action: the store's guard against two writers. */
  readonly version: number
  /** The call that last acted on the session, if any. */
  readonly callSid: string | null
}

export type OrderCommand =
  | {
      readonly action: "start"
      readonly sessionId: string
      readonly phone: string
      readonly items: ReadonlyArray<OrderItem>
      readonly clientTotal: number | undefined
    }
  | {
      readonly action: "modify"
      readonly items: ReadonlyArray<OrderItem>
      readonly clientTotal: number | undefined
    }
  | {
      readonly action: "confirm"
      readonly items: ReadonlyArray<OrderItem> | undefined
      readonly clientTotal: number | undefined
    }
  | { readonly action: "cancel" }

/** Why a command is refused; each maps to one HTTP status at the edge. */
export type OrderRefusal =
  | { readonly _tag: "UnknownSession"; readonly message: string }
  | { readonly _tag: "SessionExists"; readonly message: string }
  | { readonly _tag: "AlreadyPlaced"; readonly message: string }
  | { readonly _tag: "InvalidTransition"; readonly message: string }
  | { readonly _tag: "TotalMismatch"; readonly message: string; readonly expected: number }
  | { readonly _tag: "ItemsDiffer"; readonly message: string }

export interface OrderDecision {
  readonly session: OrderSession
  readonly event: Option.Option<OrderEventType>
}

const paise = (rupees: number) => Math.round(rupees * 100)

/** Σ quantity × price, in rupees, summed in whole paise so no float drift reaches the customer. */
export const orderTotal = (items: ReadonlyArray<OrderItem>) =>
  items.reduce((sum, item) => sum + item.quantity * paise(item.price), 0) / 100

const checkTotal = (items: ReadonlyArray<OrderItem>, clientTotal: number | undefined) => {
  const expected = orderTotal(items)
  return clientTotal === undefined || paise(clientTotal) === paise(expected)
    ? Either.right(expected)
    : Either.left<OrderRefusal>({
        _tag: "TotalMismatch",
        message: `orderData.total is ${clientTotal}, but the items come to ${expected}`,
        expected,
      })
}

const sameItems = (a: ReadonlyArray<OrderItem>, b: ReadonlyArray<OrderItem>) =>
  a.length === b.length &&
  a.every((item, i) => {
    const other = b[i]
    return (
      other !== undefined &&
      item.name === other.name &&
      item.quantity === other.quantity &&
      paise(item.price) === paise(other.price)
    )
  })

const refuse = (refusal: OrderRefusal) => Either.left<OrderRefusal>(refusal)

const notDraft = (session: OrderSession, action: VoiceOrderAction): OrderRefusal =>
  session.status === "placed" && action === "confirm"
    ? { _tag: "AlreadyPlaced", message: `Order session ${session.sessionId} is already confirmed` }
    : {
        _tag: "InvalidTransition",
        message: `Order session ${session.sessionId} is ${session.status}; it cannot be ${pastTense[action]}`,
      }

const pastTense: Record<VoiceOrderAction, string> = {
  start: "started again",
  confirm: "confirmed",
  cancel: "cancelled",
  modify: "modified",
}

const next = (
  session: OrderSession,
  change: Partial<Pick<OrderSession, "status" | "items" | "total">>,
  event: OrderEventType | null,
): OrderDecision => ({
  session: { ...session, ...change, version: session.version + 1 },
  event: Option.fromNullable(event),
})

export const decide = (
  current: Option.Option<OrderSession>,
  command: OrderCommand,
): Either.Either<OrderDecision, OrderRefusal> => {
  if (command.action === "start") {
    if (Option.isSome(current))
      return refuse({ _tag: "SessionExists", message: `Order session ${command.sessionId} already exists` })
    return Either.map(checkTotal(command.items, command.clientTotal), (total) => ({
      session: {
        sessionId: command.sessionId,
        phone: command.phone,
        status: "draft",
        items: command.items,
        total,
        version: 1,
        callSid: null,
      },
      event: Option.none(),
    }))
  }
  if (Option.isNone(current)) return refuse({ _tag: "UnknownSession", message: "No such order session" })
  const session = current.value
  switch (command.action) {
    case "modify":
      if (session.status !== "draft") return refuse(notDraft(session, "modify"))
      return Either.map(checkTotal(command.items, command.clientTotal), (total) =>
        next(session, { items: command.items, total }, null),
      )
    case "confirm": {
      if (session.status !== "draft") return refuse(notDraft(session, "confirm"))
      if (command.items !== undefined && !sameItems(command.items, session.items)) {
        return refuse({
          _tag: "ItemsDiffer",
          message: "orderData.items differ from the session's items; modify the order first",
        })
      }
      return Either.map(checkTotal(session.items, command.clientTotal), () =>
        next(session, { status: "placed" }, "ORDER_PLACED"),
      )
    }
    case "cancel":
      if (session.status === "cancelled") return refuse(notDraft(session, "cancel"))
      return Either.right(next(session, { status: "cancelled" }, "ORDER_CANCELLED"))
  }
}

/** The log line of an accepted action, as the store keeps it. */
export interface OrderLogEntry {
  readonly action: VoiceOrderAction
  readonly channel: OrderChannel
  readonly callSid: string | null
  readonly detail: unknown
}
