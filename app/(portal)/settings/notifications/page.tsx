import { getTranslations } from "next-intl/server";
import { pageContext } from "@/lib/actions/run-action";
import { guardPage } from "@/lib/actions/page-guard";
import { getNotificationPreferences } from "@/lib/notifications/get-notification-preferences";
import { PageHeader } from "@/components/ui/card";
import { NotificationPreferencesForm } from "@/components/settings/notification-preferences-form";
import { updateNotificationPreferencesAction } from "./actions";
import { withMessages } from "@/components/layout/page-messages";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("settings.notifications");
  return { title: t("title") };
}

async function NotificationSettingsPage() {
  const prefs = await guardPage(async () => getNotificationPreferences(await pageContext()));
  const t = await getTranslations("settings.notifications");
  return (
    <>
      <PageHeader title={t("title")} description={t("description")} />
      <NotificationPreferencesForm initial={prefs} action={updateNotificationPreferencesAction} />
    </>
  );
}

export default withMessages(["settings"], NotificationSettingsPage);
