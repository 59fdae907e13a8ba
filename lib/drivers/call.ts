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

/**
 * Transport failures that mean "not reachable now" (retryable), each with the words an
 * administrator reads instead of the system's error code (Test connection shows them).
 */
const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: "nothing is listening at that address (connection refused)",
  ENOENT: "the socket file does not exist",
  EACCES: "this server is not allowed to open the socket (permission denied)",
  ECONNRESET: "the connection was closed by the other side",
  EHOSTUNREACH: "there is no network route to the host",
  ENETUNREACH: "the network is unreachable from this server",
  EPIPE: "the connection was closed while sending",
  ENOTFOUND: "the host name does not resolve (DNS)",
  EAI_AGAIN: "the host name could not be resolved right now (DNS)",
  UND_ERR_SOCKET: "the connection was closed by the other side",
  UND_ERR_CLOSED: "the connection was closed",
  UND_ERR_CONNECT_TIMEOUT: "connecting took too long",
  ETIMEDOUT: "connecting took too long",
};

/** TLS failures: the endpoint answered, but it is not who it says (not retryable). */
const TLS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "its TLS certificate is self-signed and not trusted (add the CA certificate to the provider)",
  SELF_SIGNED_CERT_IN_CHAIN: "its TLS certificate is issued by a CA this server does not trust (add the CA certificate to the provider)",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "its TLS certificate is issued by a CA this server does not trust (add the CA certificate to the provider)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "its TLS certificate is issued by a CA this server does not trust (add the CA certificate to the provider)",
  CERT_HAS_EXPIRED: "its TLS certificate has expired",
  ERR_TLS_CERT_ALTNAME_INVALID: "its TLS certificate is for another host name",
};
const NOT_TLS = "it does not speak TLS at that address (check the port and the scheme)";

/** The plain-words reason of a transport error code, when it is one we know. */
export function plainTransportReason(code: string | undefined): string | undefined {
  return code ? (UNREACHABLE[code] ?? TLS[code] ?? (code === "EPROTO" ? NOT_TLS : undefined)) : undefined;
}

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
  if (code && UNREACHABLE[code]) return new DriverError("UNAVAILABLE", `${what} is unreachable: ${UNREACHABLE[code]}`);
  if (code && TLS[code]) return new DriverError("AUTH", `${what} cannot be trusted: ${TLS[code]}`, false);
  if (code === "EPROTO") return new DriverError("PROVIDER", `${what} answered, but ${NOT_TLS}`, false);
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
