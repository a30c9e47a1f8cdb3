// The words of the nine purposes' call scripts in Indian English, as the seed's GET /templates/:purpose gives
// them: written for reading, with ₹ and digits; a scripted call says the filled-in values in words.
import type { CallPurpose } from "../CallPurpose.js"
import type { ScriptWords } from "../CallScripts.js"

export const englishScripts: { readonly [P in CallPurpose]: ScriptWords } = {
  order_confirmation: {
    greeting: "Hello, this is Mangwale calling to confirm your order.",
    script: "Your order {orderId} for {itemCount} items totaling ₹{total} has been placed successfully.",
    closingScript: "Thank you for ordering with Mangwale!",
  },
  delivery_update: {
    greeting: "Hello, this is Mangwale with an update on your delivery.",
    script: "Your order {orderId} is on its way and will reach you by {deliveryTime}.",
    closingScript: "Thank you for choosing Mangwale!",
  },
  payment_reminder: {
    greeting: "Hello, this is Mangwale calling about a pending payment.",
    script: "A payment of ₹{amount} for order {orderId} is due on {dueDate}.",
    closingScript: "Please ignore this call if you have already paid. Thank you!",
  },
  promotional_offer: {
    greeting: "Hello from Mangwale!",
    script: "We have a special offer for you: {offer}. Use code {code} on your next order.",
    closingScript: "Happy ordering with Mangwale!",
  },
  feedback_request: {
    greeting: "Hello, this is Mangwale calling about your recent order.",
    script: "How was your order {orderId}? Please rate it from 1 to 5 on your keypad.",
    closingScript: "Thank you for your feedback!",
  },
  support_callback: {
    greeting: "Hello, this is Mangwale support returning your call.",
    script: "We are calling about your request {ticketId}. An agent will help you now.",
    closingScript: "Thank you for contacting Mangwale support.",
  },
  otp_verification: {
    greeting: "Hello, this is Mangwale.",
    script: "Your verification code is {otp}. I repeat, your verification code is {otp}.",
    closingScript: "Do not share this code with anyone. Goodbye.",
  },
  abandoned_cart: {
    greeting: "Hello from Mangwale!",
    script:
      "You left {itemCount} items in your cart worth ₹{total}. Complete your order now and get {offer}.",
    closingScript: "Happy ordering with Mangwale!",
  },
  custom: {
    greeting: "Hello, this is Mangwale.",
    script: "{message}",
    closingScript: "Thank you!",
  },
}
