// Resolves the signed-in actor for pages, server actions and API routes, through the
// server-side Session row the cookie names (lib/auth/sessions.ts).
import "server-only";
import { cache } from "react";
import { auth } from "./auth";
import { prisma } from "../db/client";
import { unauthenticated } from "../errors";
import type { Actor } from "./permissions";
import { sessionActor } from "./sessions";

/** The Session row id of this request's cookie, or null. Cached per request. */
export const currentSessionId = cache(async (): Promise<string | null> => {
  const session = await auth();
  const sid = (session as { sessionId?: unknown } | null)?.sessionId;
  return typeof sid === "string" ? sid : null;
});

/** The actor of this request, or null. Cached per request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const sid = await currentSessionId();
  if (!sid) return null;
  return sessionActor(prisma(), sid, new Date());
});

export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw unauthenticated();
  return actor;
}
