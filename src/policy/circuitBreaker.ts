// The circuit breaker as a pure state machine: after `threshold` failures in a row the upstream is left alone
// for `openMs`; then one trial request is let through, and its outcome closes or reopens the circuit.

export interface BreakerConfig {
  readonly threshold: number
  readonly openMs: number
}

export type BreakerState =
  | { readonly _tag: "Closed"; readonly failures: number }
  | { readonly _tag: "Open"; readonly until: number }
  /** A trial went out at `since`; a trial that never answers frees the slot after another `openMs`. */
  | { readonly _tag: "HalfOpen"; readonly since: number }

export const closed: BreakerState = { _tag: "Closed", failures: 0 }

/** May a request go out at `now`; and the state after letting it (a trial moves Open to HalfOpen). */
export const admit = (
  state: BreakerState,
  now: number,
  config: BreakerConfig,
): { readonly allowed: boolean; readonly state: BreakerState; readonly retryAt: number | null } => {
  switch (state._tag) {
    case "Closed":
      return { allowed: true, state, retryAt: null }
    case "Open":
      return now >= state.until
        ? { allowed: true, state: { _tag: "HalfOpen", since: now }, retryAt: null }
        : { allowed: false, state, retryAt: state.until }
    case "HalfOpen":
      // The trial is in flight: everyone else waits for its answer.
      return now >= state.since + config.openMs
        ? { allowed: true, state: { _tag: "HalfOpen", since: now }, retryAt: null }
        : { allowed: false, state, retryAt: state.since + config.openMs }
  }
}

export const onSuccess = (_state: BreakerState): BreakerState => closed

export const onFailure = (state: BreakerState, now: number, config: BreakerConfig): BreakerState => {
  switch (state._tag) {
    case "Closed":
      return state.failures + 1 >= config.threshold
        ? { _tag: "Open", until: now + config.openMs }
        : { _tag: "Closed", failures: state.failures + 1 }
    case "HalfOpen":
    case "Open":
      return { _tag: "Open", until: now + config.openMs }
  }
}
