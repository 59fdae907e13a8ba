// Binds HTTP methods to operations (lib/api/operations.ts): other methods answer 405 with Allow.
import { apiRoute } from "@/lib/api/handler";
import { listTemplatesOp } from "@/lib/api/operations";

export const dynamic = "force-dynamic";

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = apiRoute({ GET: listTemplatesOp });
