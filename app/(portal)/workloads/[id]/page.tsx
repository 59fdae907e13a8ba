import { cache } from "react";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getWorkload } from "@/lib/workloads/get-workload";
import { workloadIdSchema } from "@/lib/workloads/schemas";
import { WorkloadDetailView } from "@/components/workloads/workloads";
import { notFound } from "next/navigation";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

// One read per request, shared by the title and the page.
const load = cache(async (id: string) => {
  const parsed = workloadIdSchema.safeParse({ workloadId: id });
  if (!parsed.success) notFound();
  const ctx = await pageContext();
  return guardPage(() => getWorkload(ctx, parsed.data));
});

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: (await load((await params).id)).name };
}

async function WorkloadPage({ params }: { params: Promise<{ id: string }> }) {
  const w = await load((await params).id);
  return <WorkloadDetailView initial={w} />;
}

export default withMessages(["workloadList", "workloads"], WorkloadPage);
