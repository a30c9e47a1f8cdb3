// exotel-voice-gateway/testing: run the gateway inside a consumer's own tests, against the simulators.
export type { LedgerEntry, LedgerKind, SimLedger } from "../sim/exotel/ledger.js"
export { GatewayTest, type GatewayTestOptions, simulatorLedger } from "./GatewayTest.js"
export {
  hangsUp,
  type Keypress,
  type PhoneBehaviour,
  pressing,
  SimulatedPhones,
  type SimulatedPhonesShape,
} from "./SimulatedPhones.js"
