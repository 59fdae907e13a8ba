import { NotificationBell } from "@/components/notifications/notification-bell";

// Extra header widgets: the notification bell.
export function HeaderSlots() {
  return <NotificationBell />;
}
