import { describeTrainingOn } from "./train-behaviour.ts";

describeTrainingOn("wasm");
