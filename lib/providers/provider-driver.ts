// Calls a provider's driver for the admin verbs (test connection, discover) and the inventory
// sync: builds the driver from the provider row (lib/drivers/registry.ts opens the sealed
// credentials), runs one call under a deadline, closes the driver, and turns every failure
// into a DriverError with a message in plain words (never a stack).
// No "server-only" here: the worker's inventory sync uses it too.
import type { Db } from "../db/client";
import { DRIVERS, driverFor, type DriverRegistry, type ProviderForDriver } from "../drivers/registry";
import { DriverError, type Driver, type DriverErrorCode } from "../drivers/types";
import { withTimeout } from "../drivers/with-timeout";
import { logger } from "../log/logger";

export type { DriverRegistry } from "../drivers/registry";

let registryOverride: DriverRegistry | null = null;

/**
 * Test seam: replaces the driver registry these verbs use (e.g. with a small in-test driver
 * for a kind). Pass null to restore the real one. The database is never replaced.
 */
export function setProviderDriverRegistry(registry: DriverRegistry | null): void {
  registryOverride = registry;
}

export function providerDriverRegistry(): DriverRegistry {
  return registryOverride ?? DRIVERS;
}

/** Deadline of "Test connection". */
export const TEST_CONNECTION_TIMEOUT_MS = 10_000;
/** Deadline of a discovery or an inventory listing (big inventories take a while). */
export const INVENTORY_TIMEOUT_MS = 60_000;

export interface DriverFailure {
  code: DriverErrorCode;
  message: string;
}

/** Any failure as a DriverError: unknown exceptions get a generic message (details go to the log). */
export function asDriverError(err: unknown, providerId: string): DriverError {
  if (err instanceof DriverError) return err;
  logger.warn({ providerId, err: err instanceof Error ? err.message : String(err) }, "provider call failed unexpectedly");
  return new DriverError("PROVIDER", "The provider answered in an unexpected way; see the server log for details", false);
}

export function failureOf(err: DriverError): DriverFailure {
  // One line, bounded: it is shown in the browser and stored as the provider's status reason.
  const message = err.message.replace(/\s+/g, " ").trim().slice(0, 500) || err.code;
  return { code: err.code, message };
}

/** Builds the driver of `provider` and runs `fn` with a deadline of `ms`; always closes the driver. */
export async function withProviderDriver<T>(
  db: Db,
  provider: ProviderForDriver,
  ms: number,
  fn: (driver: Driver, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let driver: Driver | undefined;
  try {
    driver = await driverFor(provider, { db }, providerDriverRegistry());
    const d = driver;
    return await withTimeout(ms, (signal) => fn(d, signal), { what: `Provider ${provider.name ?? provider.id}` });
  } catch (err) {
    throw asDriverError(err, provider.id);
  } finally {
    // Frees the driver's connections, timers and sessions, whatever happened above.
    await driver?.close().catch((err: unknown) => logger.warn({ providerId: provider.id, err: err instanceof Error ? err.message : String(err) }, "closing the provider driver failed"));
  }
}
