"use server";
import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { requestCostRun } from "@/lib/costs/request-cost-run";

export async function requestCostRunAction(input: unknown) {
  return runAction(z.object({}).strict(), input, requestCostRun);
}
