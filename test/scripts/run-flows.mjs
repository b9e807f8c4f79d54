// Runs the flows as two vitest processes side by side: the image and package builds (container.test.ts,
// packages-server.test.ts, packages.test.ts: mostly waiting on debootstrap, podman and npm) and every other flow, one
// file at a time each. One after the other they made CI's critical path (23 of 26 minutes on a 2-core machine);
// side by side the waiting overlaps the training flows. With arguments (a file filter, say) one vitest process runs
// them as given. Exit status: the first failing group's, else 0.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const BUILDS = ["container.test.ts", "packages-server.test.ts", "packages.test.ts"];
const args = process.argv.slice(2);
const groups =
  args.length > 0
    ? [{ name: "flows", argv: ["run", ...args] }]
    : [
        { name: "builds", argv: ["run", ...BUILDS] },
        { name: "flows", argv: ["run", ...BUILDS.flatMap((file) => ["--exclude", `**/${file}`])] },
      ];

const exits = await Promise.all(
  groups.map(
    ({ name, argv }) =>
      new Promise((resolve) => {
        const alone = groups.length === 1;
        const child = spawn("vitest", argv, { stdio: alone ? "inherit" : ["ignore", "pipe", "pipe"] });
        if (!alone)
          for (const stream of [child.stdout, child.stderr])
            createInterface({ input: stream }).on("line", (line) =>
              process.stdout.write(`[${name}] ${line}\n`),
            );
        child.on("error", (error) => {
          process.stdout.write(`[${name}] cannot start vitest: ${error.message}\n`);
          resolve(1);
        });
        child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      }),
  ),
);
process.exit(exits.find((code) => code !== 0) ?? 0);
