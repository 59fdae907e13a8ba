import { Prisma } from "../generated/prisma/client";
import { validationError } from "../errors";

/** A unique-constraint violation on name or idpGroup, as a field error. */
export function groupUniqueError(err: unknown): never {
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
    const target = JSON.stringify(err.meta ?? {});
    if (target.includes("idpGroup")) throw validationError({ idpGroup: ["groups.validation.idpGroupTaken"] });
    throw validationError({ name: ["groups.validation.nameTaken"] });
  }
  throw err;
}
