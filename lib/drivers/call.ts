// Helpers every real driver shares: a deadline on every provider call, and the mapping of
// transport failures into DriverErrors (so the worker can tell "retry later" from "give up").
import { createHash } from "node:crypto";
import { DriverError, type CallOptions } from "./types";

/** Default deadline of one provider call when the caller gives no signal of its own. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** The caller's signal combined with a deadline of `ms` (whichever fires first). */
export function deadline(opts: CallOptions | undefined, ms: number = DEFAULT_CALL_TIMEOUT_MS): AbortSignal {
  const timeout = AbortSignal.timeout(ms);
  return opts?.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
}

/** Rejects with TIMEOUT when `signal` fires first; for clients that cannot be aborted. */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal, what: string): Promise<T> {
  if (signal.aborted) return Promise.reject(timeoutError(what, signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(timeoutError(what, signal));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

export function timeoutError(what: string, signal?: AbortSignal): DriverError {
  const reason = signal?.reason;
  const detail = reason instanceof Error && reason.name !== "TimeoutError" && reason.name !== "AbortError" ? `: ${reason.message}` : "";
  return new DriverError("TIMEOUT", `${what} did not answer in time${detail}`);
}

const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT", // unix socket path missing
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when the error is an abort/timeout (from AbortSignal or a client that honours it). */
export function isAbort(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const name = (err as { name?: string }).name;
  const code = errorCode(err);
  return name === "AbortError" || name === "TimeoutError" || code === "ABORT_ERR" || code === "UND_ERR_ABORTED";
}

/**
 * Maps a transport-level failure (no answer, refused, timed out) to a DriverError; returns
 * undefined when the error is something else for the driver to classify.
 */
export function transportError(err: unknown, what: string, signal?: AbortSignal): DriverError | undefined {
  if (err instanceof DriverError) return err;
  if (isAbort(err) || signal?.aborted) return timeoutError(what, signal);
  const code = errorCode(err);
  if (code && UNREACHABLE_CODES.has(code)) return new DriverError("UNAVAILABLE", `${what} is unreachable (${code})`);
  if (err instanceof TypeError && /fetch failed/i.test(err.message)) return new DriverError("UNAVAILABLE", `${what} is unreachable`);
  return undefined;
}

/** Anything unclassified becomes a non-retryable PROVIDER error with a short message. */
export function toDriverError(err: unknown, what: string, signal?: AbortSignal): DriverError {
  const t = transportError(err, what, signal);
  if (t) return t;
  const message = err instanceof Error ? err.message : String(err);
  return new DriverError("PROVIDER", `${what}: ${message.slice(0, 500)}`, false);
}

/** A name a provider accepts: lower-case letters, digits and dashes, starting with a letter. */
export function safeName(name: string, suffix: string, maxLength = 63): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+/g, "-")
    .replace(/-$/, "");
  const tail = suffix.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8);
  const head = (base || "machine").slice(0, Math.max(1, maxLength - tail.length - 1)).replace(/-$/, "");
  return `${head}-${tail}`;
}

/**
 * The provider's snapshot name for a requested one: the name itself when every provider takes
 * it as is (the portal's snapshot names are DNS labels), else a safe form with a hash of the
 * original. One name always maps to the same snapshot (what makes snapshot() idempotent by
 * name), and two different names never share one.
 */
export function snapshotName(name: string): string {
  if (/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(name)) return name;
  return safeName(name, createHash("sha256").update(name).digest("hex").slice(0, 8));
}
