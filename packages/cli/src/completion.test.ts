import { execFileSync } from "node:child_process";
import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { completionScript } from "./completion.ts";

const program = new Command("sweeplab").option("--host <url>");
const runs = program.command("runs");
runs.command("ls").option("--sweep <id>").option("--sort <order>");
runs.command("show <id>");
program.command("status").option("--json");

/** The words bash would offer after `line` (the last word is the one being completed). */
function complete(line: string[]): string[] {
  const script = `${completionScript(program, "bash")}
COMP_WORDS=(${line.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${line.length - 1}; _sweeplab; echo "\${COMPREPLY[@]}"`;
  return execFileSync("bash", ["-c", script], { encoding: "utf8" }).trim().split(" ").filter(Boolean);
}

describe("completionScript", () => {
  it("offers commands, then subcommands, then their flags", () => {
    expect(complete(["sweeplab", ""])).toEqual(["runs", "status", "--host", "--help"]);
    expect(complete(["sweeplab", "--host", "http://x", "runs", ""])).toEqual(["ls", "show", "--help"]);
    expect(complete(["sweeplab", "runs", "ls", "--s"])).toEqual(["--sweep", "--sort"]);
  });

  it("loads bash's completion into zsh first", () => {
    expect(completionScript(program, "zsh").split("\n")[0]).toBe(
      "autoload -U +X bashcompinit && bashcompinit",
    );
  });
});
