// Binds HTTP methods to operations: the operation (lib/api/operations.ts) does the work.
import { apiHandler } from "@/lib/api/handler";
import { rejectRequestOp } from "@/lib/api/operations";

export const dynamic = "force-dynamic";

export const POST = apiHandler(rejectRequestOp);
