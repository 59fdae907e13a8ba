"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { credentialsSchema } from "@/lib/auth/verify-credentials";
import { safeCallbackPath } from "@/lib/auth/redirect";

// One error for wrong passwords, unknown e-mails, locked accounts and throttled addresses.
export type LoginState = { error?: "invalid" | "validation"; email?: string };

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  const raw = { email: form.get("email"), password: form.get("password") };
  const parsed = credentialsSchema.safeParse(raw);
  const email = typeof raw.email === "string" ? raw.email : "";
  if (!parsed.success) return { error: "validation", email };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeCallbackPath(form.get("callbackUrl")) });
  } catch (err) {
    if (err instanceof AuthError) return { error: "invalid", email };
    throw err; // the success redirect
  }
  return {};
}
