import { afterEach, describe, expect, it, vi } from "vitest";
import { threadShare } from "./worker-processes.ts";

describe("threadShare", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("splits the cores between the local workers, one thread at least", () => {
    vi.stubEnv("TF_NUM_INTRAOP_THREADS", undefined);
    vi.stubEnv("TF_NUM_INTEROP_THREADS", undefined);
    expect(threadShare(1, 2)).toEqual({ TF_NUM_INTRAOP_THREADS: "2", TF_NUM_INTEROP_THREADS: "2" });
    expect(threadShare(2, 2)).toEqual({ TF_NUM_INTRAOP_THREADS: "1", TF_NUM_INTEROP_THREADS: "1" });
    expect(threadShare(3, 16).TF_NUM_INTRAOP_THREADS).toBe("5");
    expect(threadShare(4, 2).TF_NUM_INTRAOP_THREADS).toBe("1");
  });

  it("leaves what the environment sets", () => {
    vi.stubEnv("TF_NUM_INTRAOP_THREADS", "6");
    vi.stubEnv("TF_NUM_INTEROP_THREADS", undefined);
    expect(threadShare(2, 2)).toEqual({ TF_NUM_INTRAOP_THREADS: "6", TF_NUM_INTEROP_THREADS: "1" });
  });
});
