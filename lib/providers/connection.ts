// The connection check shared by "Test connection" and "Enable": one testConnection call under
// a 10 s deadline, answered as ok + version or a DriverError code with a plain message.
import type { Db } from "../db/client";
import type { ProviderForDriver } from "../drivers/registry";
import type { DriverErrorCode } from "../drivers/types";
import { TEST_CONNECTION_TIMEOUT_MS, asDriverError, failureOf, withProviderDriver } from "./provider-driver";

export type ConnectionResult =
  | { ok: true; version: string | null }
  | { ok: false; code: DriverErrorCode; message: string };

export async function checkConnection(db: Db, provider: ProviderForDriver, timeoutMs = TEST_CONNECTION_TIMEOUT_MS): Promise<ConnectionResult> {
  try {
    const r = await withProviderDriver(db, provider, timeoutMs, (driver, signal) => driver.testConnection({ signal }));
    return { ok: true, version: r?.version ?? null };
  } catch (err) {
    return { ok: false, ...failureOf(asDriverError(err, provider.id)) };
  }
}

/** The provider's status after a check: ACTIVE, or UNAVAILABLE with the failure as the reason. */
export function statusAfter(result: ConnectionResult): { status: "ACTIVE" | "UNAVAILABLE"; statusReason: string | null } {
  return result.ok ? { status: "ACTIVE", statusReason: null } : { status: "UNAVAILABLE", statusReason: `${result.code}: ${result.message}` };
}
