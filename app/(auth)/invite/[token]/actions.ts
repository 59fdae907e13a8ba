"use server";
import { acceptInvitationSchema } from "@/lib/users/schemas";
import { acceptInvitationByLink } from "@/lib/users/accept-invitation";

export type AcceptState = { done?: true; error?: "expired" | "validation"; fields?: Record<string, string[]> };

// The invitee is not signed in yet: the one-time link is the credential, so this is a browser
// step before any session exists (lib/api/parity.test.ts lists it as such).
export async function acceptInvitationAction(_prev: AcceptState, form: FormData): Promise<AcceptState> {
  const parsed = acceptInvitationSchema.safeParse({ token: form.get("token"), password: form.get("password"), confirm: form.get("confirm") });
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[String(issue.path[0])] ??= []).push(issue.message);
    return { error: "validation", fields };
  }
  const r = await acceptInvitationByLink({ token: parsed.data.token, password: parsed.data.password });
  return r.ok ? { done: true } : { error: "expired" };
}
