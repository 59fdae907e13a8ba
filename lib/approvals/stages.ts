// Multi-stage approval policies (pure, browser-safe). A project's stages are ordered by
// position; a stage applies to a request when it has no threshold or the request's monthly
// cost is at least its threshold. A request waits at the first stage that applies, then at the
// next one that applies after each approval; after the last, it is approved (quota reserved
// then). With no stage applying, the project's approvers decide in one step (as before
// stages existed). Administrators may decide at any stage; nobody decides their own request.
import type { ProjectRole } from "../generated/prisma/enums";

export interface StagePolicy {
  position: number;
  name: string;
  projectRole: ProjectRole | null;
  approverIds: readonly string[];
  minMonthlyCents: number | null;
}

export const MAX_STAGES = 5;

export const stageApplies = (stage: Pick<StagePolicy, "minMonthlyCents">, monthlyCostCents: number) =>
  stage.minMonthlyCents === null || monthlyCostCents >= stage.minMonthlyCents;

/** The first stage after `after` (a position; 0: from the start) that applies to the cost. */
export function nextStage<S extends StagePolicy>(stages: readonly S[], monthlyCostCents: number, after = 0): S | null {
  return [...stages].sort((a, b) => a.position - b.position).find((s) => s.position > after && stageApplies(s, monthlyCostCents)) ?? null;
}

/** The stages a request of this cost passes through, in order. */
export function applicableStages<S extends StagePolicy>(stages: readonly S[], monthlyCostCents: number): S[] {
  return [...stages].sort((a, b) => a.position - b.position).filter((s) => stageApplies(s, monthlyCostCents));
}

export interface StageActor {
  id: string;
  role: "ADMIN" | "USER";
  memberships: ReadonlyMap<string, ProjectRole>;
}

/** Whether the actor decides at this stage of a request in the project. */
export function isStageApprover(actor: StageActor, projectId: string, stage: Pick<StagePolicy, "projectRole" | "approverIds">): boolean {
  if (actor.role === "ADMIN") return true;
  const role = actor.memberships.get(projectId);
  if (!role) return false;
  return (stage.projectRole !== null && role === stage.projectRole) || stage.approverIds.includes(actor.id);
}
