import { describe, expect, it } from "vitest";
import { createAuthFailureLimiter } from "./auth-failures.ts";
import { createSessionStore } from "./sessions.ts";

describe("the auth failure limiter", () => {
  it("blocks an address after N failures until its window ends; a success clears it", () => {
    let now = 0;
    const limiter = createAuthFailureLimiter({ maxFailures: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(limiter.blockedMs("a")).toBe(0);
      limiter.fail("a");
    }
    expect(limiter.blockedMs("a")).toBe(60_000);
    expect(limiter.blockedMs("b")).toBe(0);
    now = 59_000;
    expect(limiter.blockedMs("a")).toBe(1000);
    now = 60_000;
    expect(limiter.blockedMs("a")).toBe(0);
    limiter.fail("b");
    limiter.fail("b");
    limiter.succeed("b");
    limiter.fail("b");
    expect(limiter.blockedMs("b")).toBe(0);
  });

  it("holds at most maxClients addresses: expired ones go first, then the oldest", () => {
    let now = 0;
    const limiter = createAuthFailureLimiter({
      maxFailures: 1,
      windowMs: 1000,
      maxClients: 100,
      now: () => now,
    });
    for (let i = 0; i < 10_000; i++) {
      now = i;
      limiter.fail(`10.0.${i >> 8}.${i & 255}`);
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
    // The newest stays blocked.
    expect(limiter.blockedMs("10.0.39.15")).toBeGreaterThan(0);
  });
});

describe("the session table", () => {
  it("drops expired sessions and holds at most its bound", () => {
    let now = 0;
    const sessions = createSessionStore(() => now, 50);
    const first = sessions.create();
    for (let i = 0; i < 500; i++) sessions.create();
    expect(sessions.size).toBeLessThanOrEqual(50);
    expect(sessions.has(first)).toBe(false);
    now = 8 * 24 * 3600 * 1000;
    const fresh = sessions.create();
    expect(sessions.size).toBe(1);
    expect(sessions.has(fresh)).toBe(true);
  });
});
