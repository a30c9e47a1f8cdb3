// The call scripts for the nine purposes, in the seed's shape, and {placeholder} substitution.
import type { CallPurpose } from "./CallPurpose.js"

export interface CallScript {
  readonly greeting: string
  readonly script: string
  readonly closingScript: string
  /** Seconds. */
  readonly maxDuration: number
  /** 1 is the most urgent. */
  readonly priority: number
}

export const callScripts: { readonly [P in CallPurpose]: CallScript } = {
  order_confirmation: {
    greeting: "Hello, this is Mangwale calling to confirm your order.",
    script: "Your order {orderId} for {itemCount} items totaling ₹{total} has been placed successfully.",
    closingScript: "Thank you for ordering with Mangwale!",
    maxDuration: 120,
    priority: 2,
  },
  delivery_update: {
    greeting: "Hello, this is Mangwale with an update on your delivery.",
    script: "Your order {orderId} is on its way and will reach you by {deliveryTime}.",
    closingScript: "Thank you for choosing Mangwale!",
    maxDuration: 90,
    priority: 2,
  },
  payment_reminder: {
    greeting: "Hello, this is Mangwale calling about a pending payment.",
    script: "A payment of ₹{amount} for order {orderId} is due on {dueDate}.",
    closingScript: "Please ignore this call if you have already paid. Thank you!",
    maxDuration: 120,
    priority: 3,
  },
  promotional_offer: {
    greeting: "Hello from Mangwale!",
    script: "We have a special offer for you: {offer}. Use code {code} on your next order.",
    closingScript: "Happy ordering with Mangwale!",
    maxDuration: 60,
    priority: 5,
  },
  feedback_request: {
    greeting: "Hello, this is Mangwale calling about your recent order.",
    script: "How was your order {orderId}? Please rate it from 1 to 5 on your keypad.",
    closingScript: "Thank you for your feedback!",
    maxDuration: 90,
    priority: 4,
  },
  support_callback: {
    greeting: "Hello, this is Mangwale support returning your call.",
    script: "We are calling about your request {ticketId}. An agent will help you now.",
    closingScript: "Thank you for contacting Mangwale support.",
    maxDuration: 600,
    priority: 2,
  },
  otp_verification: {
    greeting: "Hello, this is Mangwale.",
    script: "Your verification code is {otp}. I repeat, your verification code is {otp}.",
    closingScript: "Do not share this code with anyone. Goodbye.",
    maxDuration: 60,
    priority: 1,
  },
  abandoned_cart: {
    greeting: "Hello from Mangwale!",
    script:
      "You left {itemCount} items in your cart worth ₹{total}. Complete your order now and get {offer}.",
    closingScript: "Happy ordering with Mangwale!",
    maxDuration: 60,
    priority: 5,
  },
  custom: {
    greeting: "Hello, this is Mangwale.",
    script: "{message}",
    closingScript: "Thank you!",
    maxDuration: 120,
    priority: 3,
  },
}

/** Fills `{name}` placeholders from the variables; a placeholder with no value is left as written. */
export const fillPlaceholders = (text: string, variables: Readonly<Record<string, string>>): string =>
  text.replace(/\{([A-Za-z0-9_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(variables, name) ? (variables[name] ?? whole) : whole,
  )

export const renderCallScript = (
  purpose: CallPurpose,
  variables: Readonly<Record<string, string>>,
): CallScript => {
  const script = callScripts[purpose]
  return {
    ...script,
    greeting: fillPlaceholders(script.greeting, variables),
    script: fillPlaceholders(script.script, variables),
    closingScript: fillPlaceholders(script.closingScript, variables),
  }
}
