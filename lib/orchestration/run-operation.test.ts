import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { DriverError } from "../drivers/types";
import { classify, operationTimeoutMs, OperationFailure } from "./run-operation";

describe("operation failures", () => {
  it("classifies driver errors by their retryability, with a DRIVER_ code", () => {
    expect(classify(new DriverError("UNAVAILABLE", "busy"))).toMatchObject({ code: "DRIVER_UNAVAILABLE", retryable: true, message: "busy" });
    expect(classify(new DriverError("TIMEOUT", "slow"))).toMatchObject({ code: "DRIVER_TIMEOUT", retryable: true });
    expect(classify(new DriverError("PROVIDER", "broken"))).toMatchObject({ code: "DRIVER_PROVIDER", retryable: false });
    expect(classify(new DriverError("UNSUPPORTED", "no"))).toMatchObject({ code: "DRIVER_UNSUPPORTED", retryable: false });
  });

  it("fails domain errors at once and leaves infrastructure errors to the job queue", () => {
    expect(classify(new AppError("NO_CAPACITY", "full"))).toMatchObject({ code: "NO_CAPACITY", retryable: false });
    expect(classify(new OperationFailure("CONFLICT", "x", false, true))).toMatchObject({ keepMachine: true });
    expect(classify(new Error("connection terminated"))).toBeNull();
    expect(classify(new AppError("INTERNAL", "?"))).toBeNull();
  });

  it("takes the timeout from the environment, then the provider, then the per-kind default", () => {
    expect(operationTimeoutMs("PROVISION", {}, {})).toBe(15 * 60_000);
    expect(operationTimeoutMs("STOP", {}, {})).toBe(5 * 60_000);
    expect(operationTimeoutMs("STOP", { timeoutMs: 7000 }, {})).toBe(7000);
    expect(operationTimeoutMs("STOP", { timeoutMs: { STOP: 3000 } }, {})).toBe(3000);
    expect(operationTimeoutMs("START", { timeoutMs: { STOP: 3000 } }, {})).toBe(5 * 60_000);
    expect(operationTimeoutMs("STOP", { timeoutMs: 7000 }, { ORQ_OPERATION_TIMEOUT_MS: "1500" })).toBe(1500);
  });
});
