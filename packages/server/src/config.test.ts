import { describe, expect, it } from "vitest";
import { autoWorkers, ConfigError, isLoopbackHost, loadConfig } from "./config.ts";

describe("token policy", () => {
  it("treats a blank token list as a configuration error, never as auth off", () => {
    for (const token of [",", " ", " , ", "a,,b", "a, "]) {
      expect(() => loadConfig({ SWEEPLAB_TOKEN: token }), JSON.stringify(token)).toThrow(ConfigError);
      expect(() => loadConfig({ SWEEPLAB_TOKEN: token })).toThrow(/SWEEPLAB_TOKEN.*empty token/);
    }
    expect(loadConfig({ SWEEPLAB_TOKEN: "alpha, beta" }).tokens).toEqual(["alpha", "beta"]);
    expect(loadConfig({ SWEEPLAB_TOKEN: "" }).tokens).toEqual([]);
  });

  it("refuses to serve off loopback without a token unless insecure mode is asked for", () => {
    expect(() => loadConfig({ HOST: "0.0.0.0" })).toThrow(/needs SWEEPLAB_TOKEN/);
    expect(() => loadConfig({ HOST: "192.168.1.5", SWEEPLAB_TOKEN: "," })).toThrow(ConfigError);
    expect(loadConfig({ HOST: "0.0.0.0", SWEEPLAB_TOKEN: "s3cret-s3cret-s3cret" }).tokens).toEqual([
      "s3cret-s3cret-s3cret",
    ]);
    const insecure = loadConfig({ HOST: "0.0.0.0", SWEEPLAB_INSECURE_NO_AUTH: "1" });
    expect(insecure).toMatchObject({ tokens: [], insecureNoAuth: true });
    expect(loadConfig({ HOST: "127.0.0.1" }).tokens).toEqual([]);
    expect(loadConfig({ HOST: "::1" }).tokens).toEqual([]);
  });

  it("refuses a token shorter than 16 characters off loopback, naming the minimum; on loopback any length serves", () => {
    for (const token of ["a", "s3cret", "long-enough-token-1,short"]) {
      expect(() => loadConfig({ HOST: "0.0.0.0", SWEEPLAB_TOKEN: token }), token).toThrow(
        /SWEEPLAB_TOKEN: .*at least 16 characters/,
      );
    }
    expect(loadConfig({ HOST: "10.0.0.1", SWEEPLAB_TOKEN: "x".repeat(16) }).tokens).toEqual(["x".repeat(16)]);
    expect(loadConfig({ HOST: "127.0.0.1", SWEEPLAB_TOKEN: "a" }).tokens).toEqual(["a"]);
  });

  it("knows the loopback addresses", () => {
    expect(["127.0.0.1", "127.3.4.5", "localhost", "::1", "[::1]"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "::", "10.0.0.1", "example.com", "127.0.0.1.nip.io"].some(isLoopbackHost)).toBe(false);
  });

  it("parses the origin allow-list", () => {
    expect(
      loadConfig({ SWEEPLAB_ALLOWED_ORIGINS: "https://Dash.example.com/, http://localhost:5173" })
        .allowedOrigins,
    ).toEqual(["https://dash.example.com", "http://localhost:5173"]);
  });
});

describe("worker settings", () => {
  it("reads SWEEPLAB_BATCH_TRIALS as auto by default or a count from 1 to 64, and refuses anything else", () => {
    expect(loadConfig({}).batchTrials).toBe("auto");
    expect(loadConfig({ SWEEPLAB_BATCH_TRIALS: "auto" }).batchTrials).toBe("auto");
    expect(loadConfig({ SWEEPLAB_BATCH_TRIALS: "6" }).batchTrials).toBe(6);
    for (const value of ["0", "65", "2.5", "many"]) {
      expect(() => loadConfig({ SWEEPLAB_BATCH_TRIALS: value }), value).toThrow(/SWEEPLAB_BATCH_TRIALS/);
    }
  });
});

describe("WORKERS", () => {
  it("defaults to one worker per core, at most 4", () => {
    expect(autoWorkers(1)).toBe(1);
    expect(autoWorkers(2)).toBe(2);
    expect(autoWorkers(16)).toBe(4);
    expect(loadConfig({}).workers).toBe(autoWorkers());
    expect(loadConfig({ WORKERS: "auto" }).workers).toBe(autoWorkers());
    expect(loadConfig({ WORKERS: "0" }).workers).toBe(0);
    expect(() => loadConfig({ WORKERS: "some" })).toThrow(/WORKERS/);
  });
});
