// The SDK publishes the contract's wire types written out without zod (generated/contract-types.ts): these
// assertions fail to typecheck (`pnpm --filter @sweeplab/sdk typecheck`) unless each is the contract's own type.
import * as Contract from "@sweeplab/contract";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as SDK from "./index.ts";
import type * as Wire from "./wire-types.ts";

describe("the SDK's wire types are the contract's", () => {
  it("run events, statuses and error codes", () => {
    expectTypeOf<Wire.RunEvent>().toEqualTypeOf<Contract.RunEvent>();
    expectTypeOf<Wire.RunEventType>().toEqualTypeOf<Contract.RunEventType>();
    expectTypeOf<Wire.StartedEvent>().toEqualTypeOf<Contract.StartedEvent>();
    expectTypeOf<Wire.StepEvent>().toEqualTypeOf<Contract.StepEvent>();
    expectTypeOf<Wire.EvalEvent>().toEqualTypeOf<Contract.EvalEvent>();
    expectTypeOf<Wire.FailedEvent>().toEqualTypeOf<Contract.FailedEvent>();
    expectTypeOf<Wire.RunStatus>().toEqualTypeOf<Contract.RunStatus>();
    expectTypeOf<Wire.SweepStatus>().toEqualTypeOf<Contract.SweepStatus>();
    expectTypeOf<Wire.ErrorCode>().toEqualTypeOf<Contract.ErrorCode>();
    expectTypeOf<Wire.SweepEvent>().toEqualTypeOf<Contract.SweepEvent>();
    expectTypeOf<Wire.SweepExport>().toEqualTypeOf<Contract.SweepExport>();
    expectTypeOf<Wire.SweepImportResult>().toEqualTypeOf<Contract.SweepImportResult>();
    expectTypeOf<Wire.Activation>().toEqualTypeOf<Contract.Activation>();
    expectTypeOf<Wire.BackendName>().toEqualTypeOf<Contract.BackendName>();
  });

  it("and the constants and guards the SDK re-exports", () => {
    expectTypeOf<SDK.ApiErrorCode>().toEqualTypeOf<Contract.ApiErrorCode>();
    expectTypeOf<SDK.ClientErrorCode>().toEqualTypeOf<Contract.ClientErrorCode>();
    expectTypeOf<SDK.CoreErrorCode>().toEqualTypeOf<Contract.CoreErrorCode>();
    expectTypeOf<SDK.RunErrorCode>().toEqualTypeOf<Contract.RunErrorCode>();
    expectTypeOf<SDK.TerminalEventStatus>().toEqualTypeOf<typeof Contract.TERMINAL_EVENT_STATUS>();
    expectTypeOf<(typeof SDK.PLOT_KINDS)[number]>().toEqualTypeOf<Contract.SweepPlotKind>();
    expectTypeOf(SDK.isErrorCode).toEqualTypeOf<(value: unknown) => value is Contract.ErrorCode>();
    expectTypeOf(SDK.parseRunEvent).returns.toEqualTypeOf<Contract.RunEvent>();
    expect(SDK.ERROR_CODES).toBe(Contract.ERROR_CODES);
    expect(SDK.parseRunEvent({ type: "checkpoint", step: 3 })).toEqual({ type: "checkpoint", step: 3 });
  });

  it("and tell a different type apart", () => {
    expectTypeOf<Wire.StepEvent>().not.toEqualTypeOf<Contract.EvalEvent>();
    expectTypeOf<Wire.RunStatus>().not.toEqualTypeOf<Contract.SweepStatus>();
    expect(true).toBe(true);
  });
});
