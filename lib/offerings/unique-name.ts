import "server-only";
import type { Tx } from "../db/client";
import { validationError } from "../errors";
import { equalsText } from "../db/like";

/** Offering names are unique regardless of case ("Small" and "small" would confuse users). */
export async function assertOfferingNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.offering.findFirst({
    where: { name: equalsText(name.trim()), ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw validationError({ name: ["offerings.validation.nameTaken"] });
}
