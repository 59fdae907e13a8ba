import { z } from "zod";
import { jsonRoute } from "@/lib/machines/json-route";
import { getDashboard } from "@/lib/dashboard/get-dashboard";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// What the dashboard shows, polled by components/dashboard/live-dashboard.tsx.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: () => jsonRoute(z.object({}), {}, (ctx) => getDashboard(ctx)),
});
