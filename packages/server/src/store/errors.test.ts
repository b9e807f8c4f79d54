import pg from "pg";
import { describe, expect, it } from "vitest";
import { classifyStoreError, rootMessage } from "./errors.ts";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
/** As drizzle-orm reports a failed statement: its own message quoting the SQL, the driver's error as `cause`. */
const wrapped = (cause: unknown, params = "") =>
  Object.assign(new Error(`Failed query: insert into "runs" values ($1)\nparams: ${params}`), { cause });

describe("classifyStoreError", () => {
  it("calls a refused PostgreSQL connection an outage (a real connect to a closed port)", async () => {
    const pool = new pg.Pool({ connectionString: "postgres://u:p@127.0.0.1:1/db", max: 1 });
    const error = await pool.query("select 1").catch((e: unknown) => e);
    await pool.end();
    expect(classifyStoreError(error)).toBe("unavailable");
    expect(classifyStoreError(wrapped(error))).toBe("unavailable");
  });

  it("calls PostgreSQL's shutdown and connection SQLSTATEs and node-postgres's dropped connections outages", () => {
    for (const code of ["57P01", "57P02", "57P03", "53300", "08006", "08001", "08P01"])
      expect(classifyStoreError(wrapped(coded(code))), code).toBe("unavailable");
    expect(classifyStoreError(new Error("Connection terminated unexpectedly"))).toBe("unavailable");
    expect(
      classifyStoreError(new Error("Client has encountered a connection error and is not queryable")),
    ).toBe("unavailable");
    const aggregate = new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")], "connect failed");
    expect(classifyStoreError(aggregate)).toBe("unavailable");
  });

  it("calls ENOSPC, SQLITE_FULL and PostgreSQL's disk_full a full disk", () => {
    expect(classifyStoreError(coded("ENOSPC", "ENOSPC: no space left on device, write"))).toBe("full");
    expect(classifyStoreError(wrapped(coded("SQLITE_FULL", "database or disk is full")))).toBe("full");
    expect(classifyStoreError(wrapped(coded("53100", 'could not extend file "base/1/2"')))).toBe("full");
    expect(rootMessage(wrapped(coded("SQLITE_FULL", "database or disk is full")))).toBe(
      "database or disk is full",
    );
  });

  it("leaves other errors alone, whatever the statement's parameters say", () => {
    expect(classifyStoreError(new Error("boom"))).toBeUndefined();
    expect(classifyStoreError(wrapped(coded("23505", "duplicate key")))).toBeUndefined();
    expect(
      classifyStoreError(wrapped(coded("22P05"), "Connection terminated; database or disk is full")),
    ).toBe(undefined);
    expect(classifyStoreError("ECONNREFUSED")).toBeUndefined();
    const cycle: { cause?: unknown } = new Error("loop");
    cycle.cause = cycle;
    expect(classifyStoreError(cycle)).toBeUndefined();
  });
});
