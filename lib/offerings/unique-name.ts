import "server-only";
import type { Tx } from "../db/client";
import { validationError } from "../errors";

/** Offering names are unique regardless of case ("Small" and "small" would confuse users). */
export async function assertOfferingNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.offering.findFirst({
    where: { name: { equals: name.trim(), mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw validationError({ name: ["offerings.validation.nameTaken"] });
}
