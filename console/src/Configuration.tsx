// The admin's configuration: timing and retry (each the API's own fields, saved with PUT), the feature flags and
// the recorded prompts. main.tsx offers it to an admin only; the API refuses the changes to anyone else anyway.
import { FeatureSwitches } from "./FeatureSwitches.js"
import { RecordedPrompts } from "./RecordedPrompts.js"
import { type Field, SettingsForm } from "./SettingsForm.js"

const clock = "HH:mm"

const timingFields: ReadonlyArray<Field> = [
  { name: "businessHoursStart", label: "Business hours start", kind: "text", hint: clock },
  { name: "businessHoursEnd", label: "Business hours end", kind: "text", hint: clock },
  { name: "dndStart", label: "Do-not-disturb start", kind: "text", hint: clock },
  { name: "dndEnd", label: "Do-not-disturb end", kind: "text", hint: clock },
  { name: "promoSmsStart", label: "Promotional SMS start", kind: "text", hint: clock },
  { name: "promoSmsEnd", label: "Promotional SMS end", kind: "text", hint: clock },
  { name: "timezone", label: "Timezone", kind: "text", hint: "Asia/Kolkata" },
  { name: "holidays", label: "Holidays", kind: "dates", hint: "YYYY-MM-DD, YYYY-MM-DD" },
  { name: "weekendCallsAllowed", label: "Calls allowed at weekends", kind: "boolean" },
]

const retryFields: ReadonlyArray<Field> = [
  { name: "maxAttempts", label: "Most attempts", kind: "number" },
  { name: "initialDelaySeconds", label: "First delay (seconds)", kind: "number" },
  { name: "backoffMultiplier", label: "Backoff multiplier", kind: "number" },
  { name: "maxDelaySeconds", label: "Longest delay (seconds)", kind: "number" },
  { name: "jitter", label: "Jitter (0 to 1)", kind: "number" },
  { name: "retryOnBusy", label: "Retry when busy", kind: "boolean" },
  { name: "retryOnNoAnswer", label: "Retry when not answered", kind: "boolean" },
  { name: "retryOnNetworkError", label: "Retry after a network error", kind: "boolean" },
]

export const Configuration = ({ token }: { token: string }) => (
  <section aria-labelledby="configuration-title">
    <h2 id="configuration-title">Configuration</h2>
    <div class="settings-grid">
      <SettingsForm token={token} id="timing" title="Timing" path="/config/timing" fields={timingFields} />
      <SettingsForm token={token} id="retry" title="Retry" path="/config/retry" fields={retryFields} />
      <FeatureSwitches token={token} />
      <RecordedPrompts token={token} />
    </div>
  </section>
)
