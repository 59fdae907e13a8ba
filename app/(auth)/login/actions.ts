"use server";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { credentialsSchema } from "@/lib/auth/verify-credentials";

export type LoginState = { error?: "invalid" | "locked" | "validation"; email?: string };

function safeRedirect(target: FormDataEntryValue | null): string {
  const t = typeof target === "string" ? target : "";
  // Only same-site paths: never an open redirect.
  return t.startsWith("/") && !t.startsWith("//") && !t.startsWith("/\\") ? t : "/dashboard";
}

export async function loginAction(_prev: LoginState, form: FormData): Promise<LoginState> {
  const raw = { email: form.get("email"), password: form.get("password") };
  const parsed = credentialsSchema.safeParse(raw);
  const email = typeof raw.email === "string" ? raw.email : "";
  if (!parsed.success) return { error: "validation", email };
  try {
    await signIn("credentials", { ...parsed.data, redirectTo: safeRedirect(form.get("callbackUrl")) });
  } catch (err) {
    if (err instanceof AuthError) {
      const code = (err as AuthError & { code?: string }).code;
      return { error: code === "locked" ? "locked" : "invalid", email };
    }
    throw err; // the success redirect
  }
  return {};
}
