// Binds HTTP methods to operations: the operation (lib/api/operations.ts) does the work.
import { apiHandler } from "@/lib/api/handler";
import { listOfferingsOp } from "@/lib/api/operations";

export const dynamic = "force-dynamic";

export const GET = apiHandler(listOfferingsOp);
