import type { RequestStatus } from "../generated/prisma/enums";

/** Requests whose names are still claimed: waiting for a decision, or approved and being built. */
export const OPEN_REQUEST_STATUSES = ["PENDING_APPROVAL", "APPROVED"] as const satisfies readonly RequestStatus[];
