// How many messages a second one voice stream may send. Exotel sends about ten (a media message every ~100 ms,
// now and then a dtmf or a mark); the cap is ten times that. A token bucket: `perSecond` tokens refilled
// continuously, at most twice that held. Media may spend the bucket only down to a reserve kept for control
// messages, so a flood of audio loses audio first and never a keypress; a control message that finds the bucket
// empty ends the stream (the bridge closes it with 1008).
export interface MessageBudget {
  readonly tokens: number
  /** Epoch milliseconds of the last refill. */
  readonly at: number
}

export type MessageKind = "media" | "control"
export type BudgetVerdict = "accept" | "drop" | "close"

export interface MessageLimits {
  readonly perSecond: number
}

const capacityOf = (limits: MessageLimits) => limits.perSecond * 2
const reserveOf = (limits: MessageLimits) => capacityOf(limits) / 4

export const fullBudget = (limits: MessageLimits, now: number): MessageBudget => ({
  tokens: capacityOf(limits),
  at: now,
})

/** The budget after one message of `kind` arrives at `now`, and what to do with the message. */
export const spend = (
  budget: MessageBudget,
  now: number,
  kind: MessageKind,
  limits: MessageLimits,
): readonly [MessageBudget, BudgetVerdict] => {
  // A clock that stepped back refills nothing rather than taking tokens away.
  const elapsed = Math.max(0, now - budget.at)
  const tokens = Math.min(capacityOf(limits), budget.tokens + (elapsed * limits.perSecond) / 1000)
  const floor = kind === "media" ? 1 + reserveOf(limits) : 1
  if (tokens < floor) return [{ tokens, at: now }, kind === "media" ? "drop" : "close"]
  return [{ tokens: tokens - 1, at: now }, "accept"]
}
