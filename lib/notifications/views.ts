// The notification bell's data: plain JSON for the polling route handler.
export interface NotificationView {
  id: string;
  kind: string;
  params: Record<string, string | number | null>;
  link: string | null;
  read: boolean;
  createdAt: string;
}

export interface NotificationList {
  items: NotificationView[];
  unread: number;
}
