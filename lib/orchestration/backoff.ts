// Retry schedule for retryable driver errors: exponential (base, 2x base, 4x base, ...),
// capped, with jitter so that many operations failing together (a provider outage) do not
// retry in lockstep. Configured by ORQ_RETRY_BASE_MS, ORQ_RETRY_MAX_MS and
// ORQ_OPERATION_MAX_ATTEMPTS (tests shorten the base).
export interface RetryPolicy {
  /** Delay before the second attempt. */
  baseMs: number;
  /** No delay exceeds this. */
  maxMs: number;
  /** Attempts in all (the first included) before the operation fails. */
  maxAttempts: number;
  /** Spread of the jitter as a fraction of the delay: 0.2 gives +/-10 %. */
  jitter: number;
}

/** 2, 4, 8, 16, 32, then 60 s four times: about 5 minutes, long enough to ride out a hypervisor or vCenter restart. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 2000, maxMs: 60_000, maxAttempts: 10, jitter: 0.2 };

const num = (v: string | undefined, fallback: number, min: number) => {
  const n = v === undefined || v === "" ? NaN : Number(v);
  return Number.isFinite(n) && n >= min ? n : fallback;
};

export function retryPolicyFromEnv(env: Record<string, string | undefined> = process.env): RetryPolicy {
  return {
    baseMs: num(env.ORQ_RETRY_BASE_MS, DEFAULT_RETRY_POLICY.baseMs, 0),
    maxMs: num(env.ORQ_RETRY_MAX_MS, DEFAULT_RETRY_POLICY.maxMs, 0),
    maxAttempts: Math.floor(num(env.ORQ_OPERATION_MAX_ATTEMPTS, DEFAULT_RETRY_POLICY.maxAttempts, 1)),
    jitter: Math.min(1, num(env.ORQ_RETRY_JITTER, DEFAULT_RETRY_POLICY.jitter, 0)),
  };
}

/** The delay without jitter after failed attempt number `attempt` (1-based). */
export function baseDelayMs(attempt: number, policy: RetryPolicy): number {
  const exp = Math.min(30, Math.max(0, attempt - 1));
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exp);
}

/** The delay before the next attempt after failed attempt `attempt`, jittered, never above maxMs. */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const d = baseDelayMs(attempt, policy);
  const factor = 1 - policy.jitter / 2 + random() * policy.jitter;
  return Math.max(0, Math.min(policy.maxMs, Math.round(d * factor)));
}

/** Whether a retryable failure at `attempt` gets another try. */
export const shouldRetry = (attempt: number, policy: RetryPolicy) => attempt < policy.maxAttempts;

/** The un-jittered delays between all attempts (for docs and the machine page). */
export const backoffSchedule = (policy: RetryPolicy): number[] =>
  Array.from({ length: Math.max(0, policy.maxAttempts - 1) }, (_, i) => baseDelayMs(i + 1, policy));
