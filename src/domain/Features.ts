// Feature flags: whole capabilities an operator can switch off without a deploy.
import { Schema } from "effect"

export const featureNames = [
  "verifiedCallsEnabled",
  "numberMaskingEnabled",
  "voiceStreamingEnabled",
  "autoDialerEnabled",
  "cqaEnabled",
] as const

export const FeatureName = Schema.Literal(...featureNames).annotations({
  identifier: "FeatureName",
  message: (issue) => ({
    message: `unknown feature ${JSON.stringify(issue.actual)}; known features: ${featureNames.join(", ")}`,
    override: true,
  }),
})
export type FeatureName = typeof FeatureName.Type

export const Features = Schema.Struct({
  verifiedCallsEnabled: Schema.Boolean,
  numberMaskingEnabled: Schema.Boolean,
  voiceStreamingEnabled: Schema.Boolean,
  autoDialerEnabled: Schema.Boolean,
  cqaEnabled: Schema.Boolean,
}).annotations({ identifier: "Features" })
export type Features = typeof Features.Type

export const defaultFeatures: Features = {
  verifiedCallsEnabled: true,
  numberMaskingEnabled: true,
  voiceStreamingEnabled: true,
  autoDialerEnabled: true,
  cqaEnabled: true,
}
