import "server-only";
import type { Tx } from "../db/client";
import { validationError } from "../errors";

/** Template names are unique regardless of case. */
export async function assertTemplateNameFree(tx: Tx, name: string, exceptId?: string): Promise<void> {
  const clash = await tx.template.findFirst({
    where: { name: { equals: name.trim(), mode: "insensitive" }, ...(exceptId ? { NOT: { id: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw validationError({ name: ["templates.validation.nameTaken"] });
}
