import { forbidden } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { canEnterAdmin } from "@/lib/auth/navigation";

// UX gate only: every admin page and action checks its own permission again.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  if (!canEnterAdmin(actor)) forbidden();
  return <>{children}</>;
}
