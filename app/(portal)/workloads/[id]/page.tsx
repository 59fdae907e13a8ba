import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getWorkload } from "@/lib/workloads/get-workload";
import { workloadIdSchema } from "@/lib/workloads/schemas";
import { WorkloadDetailView } from "@/components/workloads/workloads";
import { notFound } from "next/navigation";

export const dynamic = "force-dynamic";

export default async function WorkloadPage({ params }: { params: Promise<{ id: string }> }) {
  const parsed = workloadIdSchema.safeParse({ workloadId: (await params).id });
  if (!parsed.success) notFound();
  const ctx = await pageContext();
  const w = await guardPage(() => getWorkload(ctx, parsed.data));
  return <WorkloadDetailView initial={w} />;
}
