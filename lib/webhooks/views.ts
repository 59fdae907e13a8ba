import type { WebhookEventType } from "../events/types";

export interface WebhookView {
  id: string;
  projectId: string;
  projectName: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  lastDelivery: { status: "PENDING" | "SUCCEEDED" | "FAILED"; responseStatus: number | null; createdAt: Date } | null;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: "PENDING" | "SUCCEEDED" | "FAILED";
  attempts: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  finishedAt: Date | null;
  redeliveryOfId: string | null;
}

export const webhookSelect = {
  id: true,
  projectId: true,
  url: true,
  description: true,
  events: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
  project: { select: { name: true } },
  deliveries: { orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: 1, select: { status: true, responseStatus: true, createdAt: true } },
};

export function toWebhookView(r: {
  id: string;
  projectId: string;
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  project: { name: string };
  deliveries: { status: "PENDING" | "SUCCEEDED" | "FAILED"; responseStatus: number | null; createdAt: Date }[];
}): WebhookView {
  return {
    id: r.id,
    projectId: r.projectId,
    projectName: r.project.name,
    url: r.url,
    description: r.description,
    events: r.events as WebhookEventType[],
    enabled: r.enabled,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    lastDelivery: r.deliveries[0] ?? null,
  };
}
