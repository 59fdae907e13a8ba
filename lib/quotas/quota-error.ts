import { AppError } from "../errors";
import type { QuotaResource } from "./impact";

const NAMES: Record<QuotaResource, string> = {
  vcpu: "vCPU",
  memory: "memory",
  diskSsd: "SSD disk",
  diskHdd: "HDD disk",
  machines: "machines",
  budget: "monthly budget",
};

/** QUOTA_EXCEEDED naming the resources (details.resources lets the UI say it in the user's language). */
export function quotaExceeded(resources: readonly QuotaResource[]): AppError {
  return new AppError("QUOTA_EXCEEDED", `This would exceed the project's quota for ${resources.map((r) => NAMES[r]).join(", ")}`, {
    resources: [...resources],
  });
}
