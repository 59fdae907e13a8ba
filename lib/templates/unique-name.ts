import "server-only";
import type { Tx } from "../db/client";
import { validationError } from "../errors";
import { equalsText } from "../db/like";

/** Template names are unique regardless of case. */
export async function assertTemplateNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.template.findFirst({
    where: { name: equalsText(name.trim()), ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw validationError({ name: ["templates.validation.nameTaken"] });
}
