// Binds HTTP methods to operations: the operation (lib/api/operations-ops.ts) does the work.
import { apiHandler } from "@/lib/api/handler";
import { createBackupPolicyOp } from "@/lib/api/operations-ops";

export const dynamic = "force-dynamic";

export const POST = apiHandler(createBackupPolicyOp);
