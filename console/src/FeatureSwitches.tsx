// The feature flags, one switch each: a change is sent at once (PUT /config/features/:feature), and the switch
// shows what the API answered, not what was clicked.
import { useEffect, useState } from "preact/hooks"
import { call, messageOf } from "./api.js"

type Features = Record<string, boolean>

export const FeatureSwitches = ({ token }: { token: string }) => {
  const [features, setFeatures] = useState<Features | null>(null)
  const [error, setError] = useState<string | null>(null)
  const answered = (answer: { status: number; body: unknown }) => {
    if (answer.status !== 200) return setError(messageOf(answer))
    setError(null)
    setFeatures(answer.body as Features)
  }
  useEffect(() => {
    void call(token, "GET", "/config/features").then(answered)
  }, [token])
  const toggle = async (name: string, enabled: boolean) =>
    answered(await call(token, "PUT", `/config/features/${name}`, { enabled }))
  return (
    <fieldset class="card settings" data-settings="features">
      <legend>
        <h3>Features</h3>
      </legend>
      {features === null ? (
        <p class="empty">Loading…</p>
      ) : (
        Object.entries(features).map(([name, enabled]) => (
          <label key={name} class="check" for={`feature-${name}`}>
            <input
              id={`feature-${name}`}
              type="checkbox"
              checked={enabled}
              onChange={(event) => void toggle(name, event.currentTarget.checked)}
            />
            <span class="mono">{name}</span>
          </label>
        ))
      )}
      {error !== null && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
    </fieldset>
  )
}
