// The provider a requester picked from the price comparison, checked when the request is
// submitted: the project must let its members choose, the provider must be one its policy
// allows, switched on, and offer the template. Capacity is not promised: placement checks it
// when the machine is provisioned (and fails with NO_CAPACITY rather than go elsewhere).
import type { Db, Tx } from "../db/client";
import type { ProjectPlacementPolicy } from "../generated/prisma/enums";
import { validationError } from "../errors";

export async function chosenProvider(
  db: Db | Tx,
  project: { placementPolicy: ProjectPlacementPolicy; placementProviderId: string | null; providerChoice: boolean },
  providerId: string | undefined | null,
  templateId: string,
): Promise<string | null> {
  if (!providerId) return null;
  if (!project.providerChoice) throw validationError({ providerId: ["providerChoiceOff"] });
  if (project.placementPolicy === "FIXED" && project.placementProviderId !== providerId) throw validationError({ providerId: ["providerNotAllowed"] });
  const provider = await db.provider.findFirst({
    where: { id: providerId, status: { not: "DISABLED" }, templateRefs: { some: { templateId } } },
    select: { id: true },
  });
  if (!provider) throw validationError({ providerId: ["providerCannotServe"] });
  return provider.id;
}
