"use server";
import { runAction } from "@/lib/actions/run-action";
import { alertRuleIdSchema, createAlertRuleSchema, updateAlertRuleSchema } from "@/lib/monitoring/schemas";
import { createAlertRule, deleteAlertRule, updateAlertRule } from "@/lib/monitoring/alert-rules";

export async function createAlertRuleAction(input: unknown) {
  return runAction(createAlertRuleSchema, input, createAlertRule);
}

export async function updateAlertRuleAction(input: unknown) {
  return runAction(updateAlertRuleSchema, input, updateAlertRule);
}

export async function deleteAlertRuleAction(input: unknown) {
  return runAction(alertRuleIdSchema, input, deleteAlertRule);
}
