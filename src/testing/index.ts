// exotel-voice-gateway/testing: run the gateway inside a consumer's own tests, against the simulators.
export type { LedgerEntry, LedgerKind, SimLedger } from "../sim/exotel/ledger.js"
export {
  accepts,
  acceptWithPrepTime,
  type NerveScript,
  rejectsWith,
  type SimulatedCallback,
  unanswered,
} from "../sim/nerve/NerveSimulator.js"
export { GatewayTest, type GatewayTestOptions, simulatorLedger } from "./GatewayTest.js"
export { type NerveCall, SimulatedNerve, type SimulatedNerveShape } from "./SimulatedNerve.js"
export {
  hangsUp,
  type Keypress,
  type PhoneBehaviour,
  pressing,
  SimulatedPhones,
  type SimulatedPhonesShape,
} from "./SimulatedPhones.js"
