"use server";
import { z } from "zod";
import { runAction } from "@/lib/actions/run-action";
import { requestCostRun } from "@/lib/costs/request-cost-run";

const noInput = z.object({}).strict();

export async function requestCostRunAction(input: unknown) {
  return runAction(noInput, input, requestCostRun);
}
