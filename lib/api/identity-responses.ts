// Response schemas of the identity and integration operations (lib/api/identity-operations.ts):
// webhooks and their deliveries, groups, invitations, user details, notification preferences,
// the outgoing mail log and the integration status. As elsewhere, answers are parsed with them
// (unknown keys dropped), so no secret leaves except where documented (a webhook's signing
// secret, in the answers that create or rotate it).
import { z } from "zod";
import { WEBHOOK_EVENT_TYPES } from "../events/types";
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS } from "../notifications/kinds";
import { ProjectRole } from "../generated/prisma/enums";
import { adminUser } from "./admin-responses";

const id = z.uuid();
const dateTime = z.iso.datetime({ offset: true });
const nullableDateTime = dateTime.nullable();
const pageInfo = { page: z.int().min(1), pageCount: z.int().min(1), total: z.int().min(0) };
const deliveryStatus = z.enum(["PENDING", "SUCCEEDED", "FAILED"]).meta({ description: "PENDING: waiting for its first attempt or a retry; SUCCEEDED: the receiver answered 2xx; FAILED: gave up (attempts used, or the target was refused)." });

export const webhook = z
  .object({
    id,
    projectId: id,
    projectName: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    enabled: z.boolean(),
    createdAt: dateTime,
    updatedAt: dateTime,
    lastDelivery: z.object({ status: deliveryStatus, responseStatus: z.int().nullable(), createdAt: dateTime }).nullable(),
  })
  .meta({ id: "Webhook" });
export const webhookList = z.object({ items: z.array(webhook), projects: z.array(z.object({ id, name: z.string() })).meta({ description: "Projects whose webhooks you manage." }) });
export const webhookCreated = z.object({
  webhook,
  secret: z.string().meta({ description: "The signing secret (whsec_...): shown in this answer only; keep it with the receiver." }),
});
export const webhookSecret = z.object({ id, secret: z.string().meta({ description: "The new signing secret: shown in this answer only." }) });
export const webhookDelivery = z
  .object({
    id,
    eventId: id.meta({ description: "The event's id: the same in every delivery of the event (deduplicate on it)." }),
    eventType: z.string(),
    status: deliveryStatus,
    attempts: z.int(),
    responseStatus: z.int().nullable().meta({ description: "The receiver's HTTP status at the last attempt." }),
    responseBody: z.string().nullable().meta({ description: "The first 1 KiB of the receiver's answer." }),
    error: z.string().nullable(),
    durationMs: z.int().nullable(),
    createdAt: dateTime,
    lastAttemptAt: nullableDateTime,
    nextAttemptAt: nullableDateTime,
    finishedAt: nullableDateTime,
    redeliveryOfId: id.nullable(),
  })
  .meta({ id: "WebhookDelivery" });
export const webhookDetail = z.object({ webhook, deliveries: z.array(webhookDelivery), ...pageInfo });
export const redelivery = z.object({ id, redeliveryOfId: id, status: z.literal("PENDING") });
export const webhookSettings = z.object({ allowedNetworks: z.array(z.string()).meta({ description: "Address ranges (CIDR) webhooks may reach although private, loopback, shared or link-local." }) });

// Groups
export const group = z
  .object({
    id,
    name: z.string(),
    description: z.string(),
    idpGroup: z.string().nullable().meta({ description: "The identity provider's group claim value mapped to this group." }),
    grantsAdmin: z.boolean(),
    memberCount: z.int(),
    projectRoles: z.array(z.object({ projectId: id, projectName: z.string(), role: z.enum(ProjectRole) })),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "Group" });
export const groupList = z.object({ items: z.array(group) });
export const groupDetail = group.extend({
  members: z.array(z.object({ userId: id, email: z.string(), name: z.string(), source: z.enum(["MANUAL", "IDP"]), disabled: z.boolean(), since: dateTime })),
});
export const groupMember = z.object({ groupId: id, userId: id, email: z.string(), name: z.string(), source: z.enum(["MANUAL", "IDP"]) });
export const groupMemberRef = z.object({ groupId: id, userId: id });
export const groupProjectRole = z.object({ groupId: id, projectId: id, projectName: z.string(), role: z.enum(ProjectRole) });
export const groupProjectRef = z.object({ groupId: id, projectId: id });

// Users
export const adminUserRow = adminUser.extend({
  groups: z.int(),
  sso: z.boolean().meta({ description: "Signs in through the identity provider." }),
  invitationExpiresAt: nullableDateTime.meta({ description: "Invited and not yet accepted: until when the link works." }),
});
export const adminUserRowList = z.object({
  items: z.array(adminUserRow),
  ...pageInfo,
  nextCursor: z.string().nullable().meta({ description: "Pass as `cursor` (with the same `sort` and `dir`) for the next page; null on the last page. With a cursor, `page` is 0." }),
});
export const adminUserDetail = adminUserRow.extend({
  effectiveRole: z.enum(["ADMIN", "USER"]).meta({ description: "ADMIN when the user's own role or one of their groups makes them an administrator." }),
  adminVia: z.array(z.string()).meta({ description: "Groups that make the user an administrator." }),
  oidcIssuer: z.string().nullable(),
  groupMemberships: z.array(z.object({ id, name: z.string(), source: z.enum(["MANUAL", "IDP"]), grantsAdmin: z.boolean(), idpGroup: z.string().nullable() })),
  projectRoles: z.array(
    z.object({
      projectId: id,
      projectName: z.string(),
      ownRole: z.enum(ProjectRole).nullable(),
      viaGroups: z.array(z.object({ group: z.string(), role: z.enum(ProjectRole) })),
      effectiveRole: z.enum(ProjectRole),
    }),
  ),
});
export const invitation = z.object({
  user: adminUserRow,
  emailed: z.boolean().meta({ description: "The invitation went out by e-mail." }),
  invitationUrl: z.string().nullable().meta({ description: "The one-time link, when e-mail is not configured: pass it on yourself." }),
  expiresAt: dateTime,
});

// Notification preferences
export const notificationPreferences = z.object({
  emailAvailable: z.boolean().meta({ description: "Whether this portal sends e-mail (SMTP configured)." }),
  email: z.string(),
  emailDigest: z.boolean(),
  items: z.array(z.object({ kind: z.enum(NOTIFICATION_KINDS), channel: z.enum(NOTIFICATION_CHANNELS) })),
});

// E-mail and integrations
export const emailMessageList = z.object({
  items: z.array(
    z.object({
      id,
      to: z.string(),
      kind: z.string(),
      locale: z.string(),
      subject: z.string(),
      status: z.enum(["PENDING", "SENT", "FAILED"]),
      attempts: z.int(),
      lastError: z.string().nullable(),
      nextAttemptAt: nullableDateTime,
      sentAt: nullableDateTime,
      createdAt: dateTime,
    }),
  ),
  ...pageInfo,
});
export const testEmailQueued = z.object({ messageId: id, to: z.string() });
export const integrationStatus = z.object({
  publicUrl: z.string(),
  sso: z
    .object({
      issuer: z.string(),
      clientId: z.string(),
      name: z.string(),
      scopes: z.string(),
      claims: z.object({ email: z.string(), name: z.string(), groups: z.string() }),
      userinfo: z.boolean(),
      linkByEmail: z.string(),
      callbackUrl: z.string().meta({ description: "The redirect URI to register with the identity provider." }),
    })
    .nullable(),
  localLogin: z.enum(["on", "off", "admins"]),
  smtp: z.object({ host: z.string(), port: z.int(), tls: z.string(), verifyCertificate: z.boolean(), user: z.string().nullable(), from: z.string() }).nullable(),
  email: z.object({ pending: z.int(), failed: z.int(), sentLastDay: z.int() }),
  webhooks: z.object({ allowedNetworks: z.array(z.string()), subscriptions: z.int(), failedLastDay: z.int() }),
});
