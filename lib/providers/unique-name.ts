import type { Tx } from "../db/client";
import { validationError } from "../errors";
import { equalsText } from "../db/like";

/** Provider names are unique regardless of case ("Lab" and "lab" would confuse everyone). */
export async function assertProviderNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.provider.findFirst({
    where: { name: equalsText(name), ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw validationError({ name: ["providers.validation.nameTaken"] });
}
