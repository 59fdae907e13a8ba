// Schemas of webhook subscriptions, shared by the forms, the server actions and the API.
// Messages are message keys (messages/<locale>/webhooks.json).
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "../events/types";

const k = (key: string) => `webhooks.validation.${key}`;

const url = z.string({ error: k("urlInvalid") }).trim().min(1, k("urlRequired")).max(2000, k("urlTooLong"));
const events = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, { error: k("eventsInvalid") }), { error: k("eventsRequired") })
  .min(1, k("eventsRequired"))
  .max(WEBHOOK_EVENT_TYPES.length, k("eventsInvalid"))
  .transform((list) => [...new Set(list)]);
const description = z.string({ error: k("descriptionTooLong") }).trim().max(200, k("descriptionTooLong"));

export const webhookFieldsSchema = z.object({
  url: url.meta({ description: "Where events are POSTed: http(s), no credentials, no fragment. Private, loopback and link-local addresses are refused unless an administrator allowed their range." }),
  events: events.meta({ description: "The event types to deliver." }),
  description: description.default("").meta({ description: "What the receiver is, for people reading the list." }),
  enabled: z.boolean({ error: k("booleanRequired") }).default(true).meta({ description: "false: no new deliveries (events are not recorded for it)." }),
});

export const createWebhookSchema = webhookFieldsSchema.extend({ projectId: z.uuid({ error: k("projectRequired") }) });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;
export const updateWebhookSchema = webhookFieldsSchema.extend({ id: z.uuid() });
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;
export const webhookIdSchema = z.object({ id: z.uuid() });
export const getWebhookSchema = z.object({ id: z.uuid(), page: z.int().min(1).max(100_000).default(1) });
export const listWebhooksSchema = z.object({ projectId: z.uuid().optional() });
export const redeliverSchema = z.object({ deliveryId: z.uuid() });

export const webhookSettingsSchema = z.object({
  allowedNetworks: z
    .array(z.string({ error: k("networkInvalid") }).trim().min(1, k("networkInvalid")).max(50, k("networkInvalid")), { error: k("networkInvalid") })
    .max(100, k("networksTooMany"))
    .meta({ description: "Address ranges (CIDR, or a single address) webhooks may reach although they are private, loopback, shared or link-local. Empty: only public addresses." }),
});
export type WebhookSettingsInput = z.infer<typeof webhookSettingsSchema>;
