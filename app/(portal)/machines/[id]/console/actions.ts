"use server";
import { runAction } from "@/lib/actions/run-action";
import { consoleTicketSchema } from "@/lib/console/schemas";
import { issueConsoleTicket } from "@/lib/console/issue-ticket";

export async function issueConsoleTicketAction(input: unknown) {
  return runAction(consoleTicketSchema, input, issueConsoleTicket);
}
