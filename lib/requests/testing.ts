// Test helpers for the request and approval integration tests (not used by the app).
import { makeOffering, makeProject, makeTemplate, makeUser, addMember, ctxFor } from "../../test/factories";
import { makeProvider } from "../../test/machine-factories";
import type { Db } from "../db/client";
import type { Ctx } from "../context";
import { validationError, zodFieldErrors } from "../errors";
import { submitRequestSchema } from "./schemas";
import { submitRequest } from "./submit-request";

type ProjectOpts = Parameters<typeof makeProject>[1];
type OfferingOpts = Parameters<typeof makeOffering>[1];

/** A project with a member (requester) and an approver, an offering and a template. */
export async function makeWorld(db: Db, opts: { project?: ProjectOpts; offering?: OfferingOpts } = {}) {
  const [member, approver, project, offering, template] = await Promise.all([
    makeUser(db),
    makeUser(db),
    makeProject(db, opts.project),
    makeOffering(db, opts.offering),
    makeTemplate(db),
  ]);
  await addMember(db, project.id, member.id, "MEMBER");
  await addMember(db, project.id, approver.id, "APPROVER");
  // Requests are refused when no active provider can run them (lib/requests/feasibility.ts):
  // a simulator (any offering's numbers) with an image of the template.
  const provider = await servingProvider(db, [template.id]);
  return {
    provider,
    member,
    approver,
    project,
    offering,
    template,
    memberCtx: await ctxFor(db, member.id),
    approverCtx: await ctxFor(db, approver.id),
  };
}

/** An active simulator provider with an image of each template (no hosts: nothing is placed). */
export async function servingProvider(db: Db, templateIds: string[]) {
  const provider = await makeProvider(db);
  await db.templateProviderRef.createMany({ data: templateIds.map((templateId) => ({ templateId, providerId: provider.id, ref: "sim-image:test" })) });
  return provider;
}

/** What the server action does: parse with the shared schema, then call the verb. */
export async function submitRaw(ctx: Ctx, raw: unknown) {
  const parsed = submitRequestSchema.safeParse(raw);
  if (!parsed.success) throw validationError(zodFieldErrors(parsed.error));
  return submitRequest(ctx, parsed.data);
}

/** Counts of every table a request touches, to prove that refused input wrote nothing. */
export async function rowCounts(db: Db) {
  const [requests, machines, operations, audit, notifications, jobs] = await Promise.all([
    db.request.count(),
    db.machine.count(),
    db.operation.count(),
    db.auditEvent.count(),
    db.notification.count(),
    db.$queryRaw<{ n: bigint }[]>`select count(*) as n from graphile_worker.jobs`.then((r) => Number(r[0].n)),
  ]);
  return { requests, machines, operations, audit, notifications, jobs };
}

let seq = 0;
/** A unique DNS-label name for tests. */
export const uniqueName = (base = "vm") => `${base}-${process.pid}-${Date.now().toString(36)}-${seq++}`;
