import { checkHealth } from "@/lib/health/check-health";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// 200 while the database is up and migrated (worker and queue are reported in the body, see
// the README's Operations section); 503 when it is not.
export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async () => {
    const health = await checkHealth();
    return Response.json(health, { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } });
  },
});
