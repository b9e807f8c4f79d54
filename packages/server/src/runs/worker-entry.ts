// A training process: prepares its backend once, then trains the runs it is sent, one at a time, reporting
// every event back. Checkpoints and final weights go to files; only their paths cross the pipe.
import { type BackendName, prepareBackend, type TrainingCheckpoint, train } from "@sweeplab/core";
import type { FromWorker, ToWorker } from "./protocol.ts";
import { readTensorFile, writeTensorFile } from "./tensor-file.ts";

const send = (message: FromWorker) => process.send?.(message);
const running = new Map<string, AbortController>();

function loadCheckpoint(path: string): TrainingCheckpoint {
  const file = readTensorFile<{ step: number; optimizerIterations: number }>(path);
  return {
    step: file.meta.step,
    optimizerIterations: file.meta.optimizerIterations,
    parameters: file.groups.parameters ?? [],
    buffers: file.groups.buffers ?? [],
    optimizerSlots: file.groups.optimizerSlots ?? [],
  };
}

async function runOne(message: Extract<ToWorker, { type: "run" }>) {
  const controller = new AbortController();
  running.set(message.runId, controller);
  const resumeFrom = message.resumeFromPath ? loadCheckpoint(message.resumeFromPath) : undefined;
  for await (const event of train(message.config, {
    signal: controller.signal,
    resumeFrom,
    checkpointEverySteps: message.checkpointEverySteps,
  })) {
    if (event.type === "checkpoint") {
      const { checkpoint } = event;
      writeTensorFile(message.checkpointPath, {
        meta: { step: checkpoint.step, optimizerIterations: checkpoint.optimizerIterations },
        groups: {
          parameters: checkpoint.parameters,
          buffers: checkpoint.buffers,
          optimizerSlots: checkpoint.optimizerSlots,
        },
      });
      send({
        type: "event",
        runId: message.runId,
        event: { type: "checkpoint", step: event.step, path: message.checkpointPath },
      });
    } else if (event.type === "finished") {
      const { weights, ...rest } = event;
      writeTensorFile(message.weightsPath, { meta: { step: event.step }, groups: { weights } });
      send({ type: "event", runId: message.runId, event: { ...rest, weightsPath: message.weightsPath } });
    } else {
      send({ type: "event", runId: message.runId, event });
    }
  }
  running.delete(message.runId);
}

let queue = Promise.resolve();
process.on("message", (message: ToWorker) => {
  if (message.type === "cancel") running.get(message.runId)?.abort();
  else queue = queue.then(() => runOne(message));
});
process.on("disconnect", () => process.exit(0));

const backend = (process.env.SWEEPLAB_BACKEND ?? "auto") as BackendName | "auto";
prepareBackend({ backend }).then(
  (info) => send({ type: "ready", backend: info }),
  (error: Error) => {
    send({ type: "unavailable", message: error.message });
    process.exit(3);
  },
);
