// Who decides at a stage of a request: for notifications (the stage's approvers are told when a
// request reaches it) and for the queue. The rule itself is `isStageApprover` (stages.ts).
import type { Tx } from "../db/client";

/** Active users with the APPROVER role in the project (their own membership or a group's). */
export async function projectApproverIds(tx: Tx, projectId: string): Promise<string[]> {
  const rows = await tx.user.findMany({
    where: {
      disabled: false,
      deletedAt: null,
      OR: [
        { memberships: { some: { projectId, role: "APPROVER" } } },
        { groupMemberships: { some: { group: { projectRoles: { some: { projectId, role: "APPROVER" } } } } } },
      ],
    },
    select: { id: true },
    orderBy: { id: "asc" },
    take: 200,
  });
  return rows.map((r) => r.id);
}

/** The users told that a request waits at this stage (the requester never). */
export async function stageApproverIds(
  tx: Tx,
  projectId: string,
  stage: { projectRole: string | null; approverIds: readonly string[] },
  except: string,
): Promise<string[]> {
  const approvers = await projectApproverIds(tx, projectId);
  const ids = stage.projectRole === "APPROVER" ? approvers : approvers.filter((id) => stage.approverIds.includes(id));
  return ids.filter((id) => id !== except).slice(0, 50);
}
