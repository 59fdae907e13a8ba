// What the workload request form offers: the projects the actor may request workloads in, each
// with the providers that may run them there, and the active offerings (per-replica limits).
import "server-only";
import type { Ctx } from "../context";
import { can, projectsWhere } from "../auth/permissions";
import { workloadProvidersFor } from "./providers-for-workloads";

export interface WorkloadFormOptions {
  projects: { id: string; name: string; providers: { id: string; name: string; kind: string }[] }[];
  offerings: { id: string; name: string; vcpu: number; memoryMb: number; monthlyPriceCents: number }[];
}

export async function workloadFormOptions(ctx: Ctx): Promise<WorkloadFormOptions> {
  const readable = projectsWhere(ctx.actor, "workload.request");
  const projects = await ctx.db.project.findMany({ where: readable === null ? {} : { id: { in: readable } }, orderBy: { name: "asc" }, select: { id: true, name: true } });
  const allowed = projects.filter((p) => can(ctx.actor, "workload.request", p.id));
  const offerings = await ctx.db.offering.findMany({ where: { active: true }, orderBy: [{ vcpu: "asc" }, { memoryMb: "asc" }], select: { id: true, name: true, vcpu: true, memoryMb: true, monthlyPriceCents: true } });
  return {
    projects: await Promise.all(allowed.map(async (p) => ({ ...p, providers: await workloadProvidersFor(ctx.db, p.id) }))),
    offerings,
  };
}
