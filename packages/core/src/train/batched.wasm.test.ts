import { describeBatchedTrainingOn } from "./batched-behaviour.ts";

describeBatchedTrainingOn("wasm");
