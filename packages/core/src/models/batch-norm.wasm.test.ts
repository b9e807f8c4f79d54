import { describeBatchNormOn } from "./batch-norm-behaviour.ts";

describeBatchNormOn("wasm");
