// Binds HTTP methods to operations: the operation (lib/api/cost-operations.ts) does the work.
import { apiHandler } from "@/lib/api/handler";
import { requestCostRunOp } from "@/lib/api/cost-operations";

export const dynamic = "force-dynamic";

export const POST = apiHandler(requestCostRunOp);
