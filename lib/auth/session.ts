// Resolves the signed-in actor for pages, server actions and API routes.
import "server-only";
import { cache } from "react";
import { auth } from "./auth";
import { prisma } from "../db/client";
import { unauthenticated } from "../errors";
import type { Actor } from "./permissions";
import { loadActor } from "./load-actor";

/** The actor of this request, or null. Cached per request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return loadActor(prisma(), id);
});

export async function requireActor(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw unauthenticated();
  return actor;
}
