// The account the built-in simulator serves when none is configured.
/** The credentials the built-in simulator accepts when the account has none configured. */
export const simulatorAccount = {
  apiKey: "simulator-key",
  apiToken: "simulator-token",
  accountSid: "simulator",
  /** The ExoPhone the simulated account owns: what `npm start` calls and texts from in simulator mode. */
  exoPhone: "08047491899",
}
