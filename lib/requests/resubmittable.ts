// Which requests may be resubmitted (with the same values) by their requester. Pure.
export const RESUBMITTABLE_STATUSES = ["REJECTED", "FAILED", "CANCELLED"] as const;
