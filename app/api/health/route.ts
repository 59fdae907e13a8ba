import { checkHealth } from "@/lib/health/check-health";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: async () => {
    const health = await checkHealth();
    return Response.json(health, { status: health.ok ? 200 : 503 });
  },
});
