import { cache } from "react";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getMachine } from "@/lib/machines/get-machine";
import { machineIdSchema } from "@/lib/machines/schemas";
import { env } from "@/lib/env";
import { notFound } from "next/navigation";
import { MachineDetailView } from "@/components/machines/machine-detail";
import { withMessages } from "@/components/layout/page-messages";

// One read per request, shared by the title and the page.
const load = cache(async (id: string) => {
  const parsed = machineIdSchema.safeParse({ machineId: id });
  if (!parsed.success) notFound();
  const ctx = await pageContext();
  return guardPage(() => getMachine(ctx, parsed.data));
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: (await load((await params).id)).name };
}

async function MachinePage({ params }: { params: Promise<{ id: string }> }) {
  const machine = await load((await params).id);
  return <MachineDetailView initial={machine} currency={env().ORQ_CURRENCY} />;
}

export default withMessages("all", MachinePage);
