import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getMachine } from "@/lib/machines/get-machine";
import { machineIdSchema } from "@/lib/machines/schemas";
import { env } from "@/lib/env";
import { notFound } from "next/navigation";
import { MachineDetailView } from "@/components/machines/machine-detail";

export default async function MachinePage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = machineIdSchema.safeParse({ machineId: (await params).id });
  if (!parsed.success) notFound();
  const ctx = await pageContext();
  const machine = await guardPage(() => getMachine(ctx, parsed.data));
  return <MachineDetailView initial={machine} currency={env().ORQ_CURRENCY} />;
}
