import { jsonRoute } from "@/lib/machines/json-route";
import { utilisationSchema } from "@/lib/monitoring/schemas";
import { getUtilisation } from "@/lib/monitoring/get-utilisation";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// The administrators' host utilisation charts poll this (session-authenticated).
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async (req: Request) => {
    const q = new URL(req.url).searchParams;
    return jsonRoute(utilisationSchema, { range: q.get("range") ?? undefined, providerId: q.get("providerId") ?? undefined }, getUtilisation);
  },
});
