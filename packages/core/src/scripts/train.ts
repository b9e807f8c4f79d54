// Trains one model and prints its result: `pnpm --filter @sweeplab/core train -- --model mlp --steps 600 --json`.
// Reads SWEEPLAB_BACKEND when --backend is not given, and SWEEPLAB_EXECUTION (auto, graph or eager).
import { BackendNameSchema } from "../backend/select.ts";
import { CoreError, isCoreError } from "../errors.ts";
import { train } from "../train/train.ts";
import { parseRunFlags } from "./cli-args.ts";

async function main(): Promise<number> {
  const {
    config,
    backend: backendFlag,
    json,
  } = parseRunFlags(process.argv.slice(2).filter((a) => a !== "--"));
  const backendName = backendFlag ?? process.env.SWEEPLAB_BACKEND ?? "auto";
  const backend = backendName === "auto" ? "auto" : BackendNameSchema.safeParse(backendName).data;
  if (!backend) throw new CoreError("INVALID_CONFIG", `unknown backend "${backendName}"`);
  const execution = process.env.SWEEPLAB_EXECUTION ?? "auto";
  if (execution !== "auto" && execution !== "graph" && execution !== "eager") {
    throw new CoreError(
      "INVALID_CONFIG",
      `SWEEPLAB_EXECUTION must be auto, graph or eager, not "${execution}"`,
    );
  }
  let backendUsed = "";
  let trainedConfig: unknown = config;
  for await (const event of train(config, { backend, execution })) {
    switch (event.type) {
      case "started":
        backendUsed = event.backend.name;
        trainedConfig = event.config;
        if (!json)
          console.error(
            `training on ${event.backend.name} (${event.backend.execution}; ${event.backend.devices.join(", ")}), ${event.parameterCount} parameters`,
          );
        break;
      case "step":
        if (!json)
          console.error(
            `step ${event.step}  loss ${event.loss.toFixed(4)}  lr ${event.learningRate.toExponential(2)}  ${event.msPerStep.toFixed(1)} ms/step`,
          );
        break;
      case "eval":
        if (!json)
          console.error(
            `  eval @${event.step}: train ${(event.trainAccuracy * 100).toFixed(2)} %  val ${event.validationAccuracy === null ? "-" : `${(event.validationAccuracy * 100).toFixed(2)} %`}  val loss ${event.validationLoss?.toFixed(4) ?? "-"}`,
          );
        break;
      case "finished": {
        const summary = {
          testAccuracy: event.testAccuracy,
          testLoss: event.testLoss,
          backend: backendUsed,
          msPerStep: Number(event.msPerStep.toFixed(2)),
          trainSeconds: Number(event.trainSeconds.toFixed(1)),
          wallSeconds: Number(event.wallSeconds.toFixed(1)),
          steps: event.step,
          config: trainedConfig,
        };
        if (json) console.log(JSON.stringify(summary));
        else
          console.log(
            `test accuracy ${(event.testAccuracy * 100).toFixed(2)} %  (loss ${event.testLoss.toFixed(4)}, ${event.msPerStep.toFixed(1)} ms/step, ${event.wallSeconds.toFixed(1)} s)`,
          );
        return 0;
      }
      case "failed":
        console.error(`${event.code}: ${event.message}`);
        return 1;
    }
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(isCoreError(error) ? `${error.code}: ${error.message}` : error);
    process.exit(2);
  },
);
