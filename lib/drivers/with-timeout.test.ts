import { describe, expect, it } from "vitest";
import { DriverError } from "./types";
import { abortableSleep, withTimeout } from "./with-timeout";

describe("withTimeout", () => {
  it("returns the call's result when it answers in time", async () => {
    await expect(withTimeout(500, async () => 42)).resolves.toBe(42);
  });

  it("turns a hung call into a retryable TIMEOUT and aborts its signal", async () => {
    let seen: AbortSignal | undefined;
    const err = await withTimeout(50, (signal) => {
      seen = signal;
      return new Promise(() => {}); // never answers, ignores the signal
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect(err).toMatchObject({ code: "TIMEOUT", retryable: true });
    expect((err as Error).message).toContain("did not answer within 50 ms");
    expect(seen?.aborted).toBe(true);
  });

  it("gives up when the worker shuts down, as a retryable error", async () => {
    const parent = new AbortController();
    const p = withTimeout(10_000, (signal) => abortableSleep(10_000, signal), { parent: parent.signal });
    parent.abort();
    await expect(p).rejects.toMatchObject({ code: "UNAVAILABLE", retryable: true });
  });

  it("passes driver errors through unchanged", async () => {
    await expect(
      withTimeout(500, async () => {
        throw new DriverError("AUTH", "bad password");
      }),
    ).rejects.toMatchObject({ code: "AUTH", retryable: false });
  });
});
