// The "Cost and placement" card of the admin project page: loads its own data (a service verb)
// so the project page stays as it is.
import { getTranslations } from "next-intl/server";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import type { Ctx } from "@/lib/context";
import { getProjectCostSettings } from "@/lib/costs/project-cost-settings";
import type { ActionResult } from "@/lib/actions/run-action";
import type { ProjectCostSettingsInput } from "@/lib/costs/schemas";
import { ProjectCostSettingsForm } from "./project-cost-settings-form";

export async function ProjectCostSettingsCard({ ctx, projectId, action }: { ctx: Ctx; projectId: string; action: (input: ProjectCostSettingsInput) => Promise<ActionResult<unknown>> }) {
  const settings = await getProjectCostSettings(ctx, { projectId });
  const t = await getTranslations("costs.settings");
  return (
    <Card aria-labelledby="cost-settings-heading">
      <CardHeader>
        <h2 id="cost-settings-heading" className="text-base font-semibold text-slate-900">
          {t("title")}
        </h2>
        <p className="mt-0.5 text-sm text-slate-600">{t("description")}</p>
      </CardHeader>
      <CardBody>
        <ProjectCostSettingsForm settings={settings} action={action} />
      </CardBody>
    </Card>
  );
}
