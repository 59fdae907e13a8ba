// The OpenAPI 3.1 document, public like any API description (it lists operations, no data).
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { onlyMethods } from "@/lib/api/handler";

export const dynamic = "force-static";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = onlyMethods({
  GET: () => Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
});
