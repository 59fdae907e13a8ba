import { describe, expect, it } from "vitest";
import { backoffDelayMs, backoffSchedule, baseDelayMs, retryPolicyFromEnv, shouldRetry, type RetryPolicy } from "./backoff";

const policy: RetryPolicy = { baseMs: 1000, maxMs: 10_000, maxAttempts: 7, jitter: 0.2 };

describe("backoff schedule", () => {
  it("doubles from the base and is capped", () => {
    expect(backoffSchedule(policy)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(baseDelayMs(50, policy)).toBe(10_000);
  });

  it("jitters within +/- half the jitter fraction, never above the cap", () => {
    expect(backoffDelayMs(1, policy, () => 0)).toBe(900);
    expect(backoffDelayMs(1, policy, () => 1)).toBe(1100);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(4000);
    expect(backoffDelayMs(6, policy, () => 1)).toBe(10_000);
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(2, policy);
      expect(d).toBeGreaterThanOrEqual(1800);
      expect(d).toBeLessThanOrEqual(2200);
    }
  });

  it("retries until the attempt limit", () => {
    expect(shouldRetry(1, policy)).toBe(true);
    expect(shouldRetry(6, policy)).toBe(true);
    expect(shouldRetry(7, policy)).toBe(false);
  });

  it("reads its settings from the environment, ignoring nonsense", () => {
    expect(retryPolicyFromEnv({ ORQ_RETRY_BASE_MS: "50", ORQ_RETRY_MAX_MS: "400", ORQ_OPERATION_MAX_ATTEMPTS: "3" })).toMatchObject({
      baseMs: 50,
      maxMs: 400,
      maxAttempts: 3,
    });
    expect(retryPolicyFromEnv({ ORQ_RETRY_BASE_MS: "abc", ORQ_OPERATION_MAX_ATTEMPTS: "0" })).toMatchObject({ baseMs: 2000, maxAttempts: 10 });
  });
});
