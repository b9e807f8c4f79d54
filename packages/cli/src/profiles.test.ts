import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configFilePath, resolveConnection } from "./profiles.ts";

function configHome(yaml: string): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), "sweeplab-xdg-"));
  mkdirSync(join(home, "sweeplab"));
  writeFileSync(join(home, "sweeplab", "config.yaml"), yaml);
  return { XDG_CONFIG_HOME: home };
}

const CONFIG = `default: gpu
profiles:
  gpu:
    host: http://gpu-host:8787
    tokenCommand: printf 'from-command\\n'
  lab:
    host: http://lab:8787
    token: lab-token
`;

describe("resolveConnection", () => {
  it("reads $XDG_CONFIG_HOME/sweeplab/config.yaml", () => {
    expect(configFilePath({ XDG_CONFIG_HOME: "/x" })).toBe("/x/sweeplab/config.yaml");
    expect(configFilePath({ HOME: "/home/a" })).toBe("/home/a/.config/sweeplab/config.yaml");
  });

  it("uses the default profile, its token from its command, when nothing names a host", () => {
    expect(resolveConnection({}, configHome(CONFIG))).toEqual({
      host: "http://gpu-host:8787",
      token: "from-command",
    });
  });

  it("takes a named profile, with flags and environment over it", () => {
    const env = configHome(CONFIG);
    expect(resolveConnection({ profile: "lab" }, env)).toEqual({
      host: "http://lab:8787",
      token: "lab-token",
    });
    expect(resolveConnection({}, { ...env, SWEEPLAB_PROFILE: "lab", SWEEPLAB_TOKEN: "env" })).toEqual({
      host: "http://lab:8787",
      token: "env",
    });
  });

  it("leaves the default profile out when a host is given (its token is for its own host)", () => {
    expect(resolveConnection({ host: "http://other:1" }, configHome(CONFIG))).toEqual({
      host: "http://other:1",
      token: undefined,
    });
  });

  it("names the known profiles when asked for an unknown one, and a file that is not a config", () => {
    expect(() => resolveConnection({ profile: "nope" }, configHome(CONFIG))).toThrow(
      /no profile "nope" in .*config\.yaml \(profiles: gpu, lab\)/,
    );
    expect(() => resolveConnection({}, configHome("profiles:\n  a:\n    hots: x\n"))).toThrow(
      /not a sweeplab config/,
    );
  });
});
