import "server-only";
import type { Tx } from "../db/client";
import { validationError, type FieldErrors } from "../errors";
import { equalsText } from "../db/like";

/** Project names (any case) and slugs are unique. Reports both clashes at once. */
export async function assertProjectNameAndSlugFree(tx: Tx, name: string, slug: string, exceptId?: string): Promise<void> {
  const not = exceptId ? { NOT: { id: exceptId } } : {};
  const [byName, bySlug] = await Promise.all([
    tx.project.findFirst({ where: { name: equalsText(name), ...not }, select: { id: true } }),
    tx.project.findFirst({ where: { slug, ...not }, select: { id: true } }),
  ]);
  const fields: FieldErrors = {};
  if (byName) fields.name = ["projects.validation.nameTaken"];
  if (bySlug) fields.slug = ["projects.validation.slugTaken"];
  if (Object.keys(fields).length) throw validationError(fields);
}

export const uniqueViolationFields = (): FieldErrors => ({
  name: ["projects.validation.nameOrSlugTaken"],
  slug: ["projects.validation.nameOrSlugTaken"],
});
