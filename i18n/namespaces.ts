// The message namespaces the root layout gives to client components: those of the shell (the
// layouts, error and not-found pages). Each page adds the namespaces its own client components
// use with withMessages (components/layout/page-messages.tsx), so a page's HTML carries only
// those, not the whole catalogue. i18n/page-messages.test.ts checks both lists against the
// components. Browser-safe.
export const SHELL_NAMESPACES = ["common", "nav", "notifications", "machines"] as const;

/** The messages of `namespaces` only (all of them for "all"). */
export function pickMessages(messages: Record<string, unknown>, namespaces: readonly string[] | "all"): Record<string, unknown> {
  if (namespaces === "all") return messages;
  const out: Record<string, unknown> = {};
  for (const ns of namespaces) if (ns in messages) out[ns] = messages[ns];
  return out;
}
