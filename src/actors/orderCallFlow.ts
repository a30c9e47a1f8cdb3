// The keypad side of voice ordering as a pure state machine: the caller hears the order read back, then
// 1 confirms, 2 changes the quantities item by item, 3 cancels, * repeats. Changing: for each item the caller
// types a new quantity and #, or just # (or nothing) to keep it; 0 removes the item. What the order becomes is
// the order state machine's business: this flow only asks for an action and speaks what came of it.
import type { OrderItem } from "../domain/VoiceOrder.js"
import { maxQuantity } from "../domain/VoiceOrder.js"
import type { OrderCommand, OrderSession } from "../policy/voiceOrder.js"

/** Re-prompts at the menu before the call gives up, leaving the order as it was. */
export const maxMenuReprompts = 2
export const menuWaitSeconds = 5
export const quantityWaitSeconds = 4

export type OrderLine =
  | { readonly _tag: "ReadBack"; readonly items: ReadonlyArray<OrderItem>; readonly total: number }
  | { readonly _tag: "Menu" }
  | { readonly _tag: "AskQuantity"; readonly item: OrderItem; readonly position: number }
  | { readonly _tag: "Invalid" }
  | { readonly _tag: "NoInput" }
  | { readonly _tag: "NeedsAnItem" }
  | { readonly _tag: "Placed"; readonly total: number }
  | { readonly _tag: "Cancelled" }
  | { readonly _tag: "NotOpen" }
  | { readonly _tag: "Refused"; readonly why: string }
  | { readonly _tag: "Goodbye" }

export type OrderCallState =
  | { readonly phase: "opening" }
  | { readonly phase: "menu"; readonly session: OrderSession; readonly reprompts: number }
  | {
      readonly phase: "changing"
      readonly session: OrderSession
      /** The quantities decided so far, in the session's item order; 0 marks a removed item. */
      readonly quantities: ReadonlyArray<number>
      readonly entry: string
    }
  | { readonly phase: "acting"; readonly session: OrderSession; readonly action: OrderCommand["action"] }
  | { readonly phase: "ended" }

export type OrderCallEvent =
  | { readonly _tag: "Opened"; readonly session: OrderSession | null }
  | { readonly _tag: "Digit"; readonly digit: string }
  | { readonly _tag: "Silence" }
  | {
      readonly _tag: "Acted"
      readonly outcome:
        | { readonly ok: true; readonly session: OrderSession }
        | { readonly ok: false; readonly why: string }
    }

export type OrderCallCommand =
  | { readonly _tag: "Speak"; readonly lines: ReadonlyArray<OrderLine> }
  | { readonly _tag: "AwaitInput"; readonly seconds: number }
  | { readonly _tag: "Act"; readonly command: OrderCommand }
  | { readonly _tag: "EndCall" }

export interface OrderCallTransition {
  readonly state: OrderCallState
  readonly commands: ReadonlyArray<OrderCallCommand>
}

export const openingState: OrderCallState = { phase: "opening" }

const stay = (state: OrderCallState): OrderCallTransition => ({ state, commands: [] })

const end = (lines: ReadonlyArray<OrderLine>): OrderCallTransition => ({
  state: { phase: "ended" },
  commands: [{ _tag: "Speak", lines }, { _tag: "EndCall" }],
})

const menu = (
  session: OrderSession,
  reprompts: number,
  lead: ReadonlyArray<OrderLine>,
): OrderCallTransition => ({
  state: { phase: "menu", session, reprompts },
  commands: [
    { _tag: "Speak", lines: [...lead, { _tag: "Menu" }] },
    { _tag: "AwaitInput", seconds: menuWaitSeconds },
  ],
})

const readBack = (session: OrderSession): OrderLine => ({
  _tag: "ReadBack",
  items: session.items,
  total: session.total,
})

const askQuantity = (session: OrderSession, quantities: ReadonlyArray<number>): OrderCallTransition => {
  const position = quantities.length
  const item = session.items[position]
  if (item !== undefined) {
    return {
      state: { phase: "changing", session, quantities, entry: "" },
      commands: [
        { _tag: "Speak", lines: [{ _tag: "AskQuantity", item, position: position + 1 }] },
        { _tag: "AwaitInput", seconds: quantityWaitSeconds },
      ],
    }
  }
  // Every item answered: the changed order, or back to the menu if nothing is left of it.
  const items = session.items.flatMap((it, i) => {
    const quantity = quantities[i] ?? it.quantity
    return quantity > 0 ? [{ ...it, quantity }] : []
  })
  if (items.length === 0) return menu(session, 0, [{ _tag: "NeedsAnItem" }, readBack(session)])
  return {
    state: { phase: "acting", session, action: "modify" },
    commands: [{ _tag: "Act", command: { action: "modify", items, clientTotal: undefined } }],
  }
}

/** The quantity typed for the current item: kept when nothing was typed, capped by the order rules. */
const settle = (state: Extract<OrderCallState, { phase: "changing" }>): OrderCallTransition => {
  const current = state.session.items[state.quantities.length]?.quantity ?? 0
  const typed = state.entry === "" ? current : Math.min(maxQuantity, Number(state.entry))
  return askQuantity(state.session, [...state.quantities, typed])
}

const reprompt = (state: Extract<OrderCallState, { phase: "menu" }>, why: OrderLine): OrderCallTransition =>
  state.reprompts >= maxMenuReprompts
    ? end([{ _tag: "Goodbye" }])
    : menu(state.session, state.reprompts + 1, [why])

export const transition = (state: OrderCallState, event: OrderCallEvent): OrderCallTransition => {
  switch (state.phase) {
    case "ended":
      return stay(state)
    case "opening":
      if (event._tag !== "Opened") return stay(state)
      if (event.session === null || event.session.status !== "draft") return end([{ _tag: "NotOpen" }])
      return menu(event.session, 0, [readBack(event.session)])
    case "acting":
      // Keys pressed while the order is being saved are not a new choice.
      if (event._tag !== "Acted") return stay(state)
      if (!event.outcome.ok) return end([{ _tag: "Refused", why: event.outcome.why }])
      switch (event.outcome.session.status) {
        case "placed":
          return end([{ _tag: "Placed", total: event.outcome.session.total }])
        case "cancelled":
          return end([{ _tag: "Cancelled" }])
        case "draft":
          return menu(event.outcome.session, 0, [readBack(event.outcome.session)])
      }
      return stay(state)
    case "menu":
      if (event._tag === "Silence") return reprompt(state, { _tag: "NoInput" })
      if (event._tag !== "Digit") return stay(state)
      switch (event.digit) {
        case "1":
          return {
            state: { phase: "acting", session: state.session, action: "confirm" },
            commands: [
              {
                _tag: "Act",
                // The caller confirms what was read back: a total changed meanwhile is refused, not placed.
                command: { action: "confirm", items: state.session.items, clientTotal: state.session.total },
              },
            ],
          }
        case "2":
          return askQuantity(state.session, [])
        case "3":
          return {
            state: { phase: "acting", session: state.session, action: "cancel" },
            commands: [{ _tag: "Act", command: { action: "cancel" } }],
          }
        case "*":
          return menu(state.session, state.reprompts, [readBack(state.session)])
        default:
          return reprompt(state, { _tag: "Invalid" })
      }
    case "changing":
      if (event._tag === "Silence") return settle(state)
      if (event._tag !== "Digit") return stay(state)
      if (event.digit === "#") return settle(state)
      if (event.digit === "*") return askQuantity(state.session, state.quantities)
      if (/^[0-9]$/.test(event.digit) && state.entry.length < 2)
        return {
          state: { ...state, entry: state.entry + event.digit },
          commands: [{ _tag: "AwaitInput", seconds: quantityWaitSeconds }],
        }
      return stay(state)
  }
}
