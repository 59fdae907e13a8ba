// Recognising constraint violations from Prisma (with the pg driver adapter), so a race
// that slips past a pre-check still ends as a field error or conflict, not a 500.
export function prismaCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err && typeof (err as { code: unknown }).code === "string"
    ? (err as { code: string }).code
    : undefined;
}
export const isUniqueViolation = (err: unknown) => prismaCode(err) === "P2002";
export const isForeignKeyViolation = (err: unknown) => prismaCode(err) === "P2003";
