// The identity and integration operations of /api/v1: webhooks (a project's approvers and
// administrators), the webhook address policy, groups and their IdP mapping, invitations,
// one's notification preferences, the outgoing mail log. Each calls the SAME verb as the
// page's server action, with the same schema; the verbs check permissions.
import "server-only";
import { z } from "zod";
import * as WH from "../webhooks/schemas";
import { listWebhooks } from "../webhooks/list-webhooks";
import { createWebhook } from "../webhooks/create-webhook";
import { getWebhook } from "../webhooks/get-webhook";
import { updateWebhook } from "../webhooks/update-webhook";
import { deleteWebhook } from "../webhooks/delete-webhook";
import { rotateWebhookSecret } from "../webhooks/rotate-webhook-secret";
import { redeliverWebhook } from "../webhooks/redeliver-webhook";
import { getWebhookSettings } from "../webhooks/get-webhook-settings";
import { updateWebhookSettings } from "../webhooks/update-webhook-settings";
import { WEBHOOK_EVENT_TYPES } from "../events/types";
import * as GRP from "../groups/schemas";
import { listGroups } from "../groups/list-groups";
import { getGroup } from "../groups/get-group";
import { createGroup } from "../groups/create-group";
import { updateGroup } from "../groups/update-group";
import { deleteGroup } from "../groups/delete-group";
import { addGroupMember, removeGroupMember } from "../groups/group-members";
import { removeGroupProjectRole, setGroupProjectRole } from "../groups/group-project-roles";
import * as USR from "../users/schemas";
import { inviteUser, resendInvitation } from "../users/invite-user";
import { updateNotificationPreferencesSchema } from "../notifications/preferences";
import { getNotificationPreferences } from "../notifications/get-notification-preferences";
import { updateNotificationPreferences } from "../notifications/update-notification-preferences";
import { listEmailMessages } from "../email/list-email-messages";
import { sendTestEmail } from "../email/send-test-email";
import { getIntegrationStatus } from "../integrations/get-integration-status";
import { defineOperation } from "./operation";
import { MAX_PAGE, queryInt } from "./queries";
import * as I from "./identity-responses";

const empty = z.object({});
const page = queryInt(1, MAX_PAGE, `Page number, from 1 (the default) to ${MAX_PAGE}; 20 items a page.`).optional();

// ---------------------------------------------------------------- webhooks
const WEBHOOK = { webhookId: "The webhook's id." } as const;
const webhookRequest = { url: "https://hooks.example.com/orquestra", events: ["request.created", "machine.state_changed"], description: "Chat notifications", enabled: true };
const webhookExample = {
  id: "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10",
  projectId: "8d0f9a52-2b7e-4c1a-9f3e-5a6b7c8d9e01",
  projectName: "Web Platform",
  url: "https://hooks.example.com/orquestra",
  description: "Chat notifications",
  events: ["request.created", "machine.state_changed"],
  enabled: true,
  createdAt: "2026-03-01T12:00:00.000Z",
  updatedAt: "2026-03-01T12:00:00.000Z",
  lastDelivery: { status: "SUCCEEDED", responseStatus: 200, createdAt: "2026-03-02T08:15:00.000Z" },
};
const EVENTS_DOC = `Event types: ${WEBHOOK_EVENT_TYPES.join(", ")}. Each delivery is a POST with a JSON body {id, type, createdAt, projectId, data} and the header Orquestra-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret> (README "Webhooks").`;

export const listWebhooksOp = defineOperation({
  operationId: "listWebhooks",
  method: "GET",
  path: "/webhooks",
  tag: "Webhooks",
  summary: "List the webhooks of the projects you manage",
  description: "Approvers of a project manage its webhooks; administrators manage every project's.",
  query: z.strictObject({ projectId: z.uuid({ error: "Not a valid id (a UUID)." }).optional().meta({ description: "Only this project's webhooks." }) }),
  input: WH.listWebhooksSchema,
  verb: listWebhooks,
  response: I.webhookList,
  examples: { response: { items: [webhookExample], projects: [{ id: webhookExample.projectId, name: "Web Platform" }] } },
  errors: [],
});
export const createWebhookOp = defineOperation({
  operationId: "createWebhook",
  method: "POST",
  path: "/webhooks",
  tag: "Webhooks",
  summary: "Subscribe a project to events (the signing secret is in this answer only)",
  description: `${EVENTS_DOC} The URL must be http(s) without credentials; names are resolved and private, loopback, shared and link-local addresses are refused unless an administrator allowed their range (PUT /admin/webhook-settings).`,
  body: WH.createWebhookSchema,
  input: WH.createWebhookSchema,
  verb: createWebhook,
  status: 201,
  response: I.webhookCreated,
  messages: "webhooks.validation",
  examples: { request: { projectId: webhookExample.projectId, ...webhookRequest }, response: { webhook: webhookExample, secret: "whsec_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789A" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const getWebhookOp = defineOperation({
  operationId: "getWebhook",
  method: "GET",
  path: "/webhooks/{webhookId}",
  tag: "Webhooks",
  summary: "Get a webhook and its delivery log (newest first)",
  pathParams: WEBHOOK,
  query: z.strictObject({ page }),
  input: WH.getWebhookSchema,
  prepare: ({ params, query }) => ({ id: params.webhookId, page: query.page ?? 1 }),
  verb: getWebhook,
  response: I.webhookDetail,
  examples: {
    response: {
      webhook: webhookExample,
      deliveries: [
        {
          id: "5b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d",
          eventId: "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
          eventType: "machine.state_changed",
          status: "SUCCEEDED",
          attempts: 2,
          responseStatus: 200,
          responseBody: "ok",
          error: null,
          durationMs: 84,
          createdAt: "2026-03-02T08:15:00.000Z",
          lastAttemptAt: "2026-03-02T08:15:31.000Z",
          nextAttemptAt: null,
          finishedAt: "2026-03-02T08:15:31.000Z",
          redeliveryOfId: null,
        },
      ],
      page: 1,
      pageCount: 1,
      total: 1,
    },
  },
  errors: ["NOT_FOUND"],
});
export const updateWebhookOp = defineOperation({
  operationId: "updateWebhook",
  method: "PUT",
  path: "/webhooks/{webhookId}",
  tag: "Webhooks",
  summary: "Change a webhook's URL, events, description or enabled flag",
  description: "A changed URL is checked again like a new one.",
  pathParams: WEBHOOK,
  body: WH.webhookFieldsSchema,
  input: WH.updateWebhookSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.webhookId }),
  verb: updateWebhook,
  response: I.webhook,
  messages: "webhooks.validation",
  examples: { request: webhookRequest, response: webhookExample },
  errors: ["VALIDATION", "NOT_FOUND"],
});
export const deleteWebhookOp = defineOperation({
  operationId: "deleteWebhook",
  method: "DELETE",
  path: "/webhooks/{webhookId}",
  tag: "Webhooks",
  summary: "Delete a webhook and its delivery log",
  pathParams: WEBHOOK,
  input: WH.webhookIdSchema,
  prepare: ({ params }) => ({ id: params.webhookId }),
  verb: deleteWebhook,
  status: 204,
  response: null,
  errors: ["NOT_FOUND"],
});
export const rotateWebhookSecretOp = defineOperation({
  operationId: "rotateWebhookSecret",
  method: "POST",
  path: "/webhooks/{webhookId}/rotate-secret",
  tag: "Webhooks",
  summary: "Replace a webhook's signing secret (the new one is in this answer only)",
  description: "Deliveries from now on are signed with the new secret; update the receiver first if it accepts only one.",
  pathParams: WEBHOOK,
  input: WH.webhookIdSchema,
  prepare: ({ params }) => ({ id: params.webhookId }),
  verb: rotateWebhookSecret,
  response: I.webhookSecret,
  examples: { response: { id: webhookExample.id, secret: "whsec_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789A" } },
  errors: ["NOT_FOUND"],
});
export const redeliverWebhookOp = defineOperation({
  operationId: "redeliverWebhook",
  method: "POST",
  path: "/webhook-deliveries/{deliveryId}/redeliver",
  tag: "Webhooks",
  summary: "Send a delivery's event again (a new delivery with its own attempts)",
  pathParams: { deliveryId: "The delivery's id (from the webhook's delivery log)." },
  input: WH.redeliverSchema,
  prepare: ({ params }) => ({ deliveryId: params.deliveryId }),
  verb: redeliverWebhook,
  status: 202,
  response: I.redelivery,
  errors: ["NOT_FOUND", "CONFLICT"],
});
export const getWebhookSettingsOp = defineOperation({
  operationId: "adminGetWebhookSettings",
  method: "GET",
  path: "/admin/webhook-settings",
  tag: "Administration: integrations",
  summary: "The private address ranges webhooks may reach",
  input: empty,
  verb: (ctx) => getWebhookSettings(ctx),
  response: I.webhookSettings,
  examples: { response: { allowedNetworks: ["10.20.0.0/16"] } },
  errors: ["FORBIDDEN"],
});
export const updateWebhookSettingsOp = defineOperation({
  operationId: "adminUpdateWebhookSettings",
  method: "PUT",
  path: "/admin/webhook-settings",
  tag: "Administration: integrations",
  summary: "Allow webhooks to reach private address ranges",
  description: "CIDR ranges or single addresses (IPv4 or IPv6). Unspecified and multicast addresses stay refused. Every delivery checks the addresses it connects to against this list.",
  body: WH.webhookSettingsSchema,
  input: WH.webhookSettingsSchema,
  verb: updateWebhookSettings,
  response: I.webhookSettings,
  messages: "webhooks.validation",
  examples: { request: { allowedNetworks: ["10.20.0.0/16", "fd00:20::/32"] }, response: { allowedNetworks: ["10.20.0.0/16", "fd00:20::/32"] } },
  errors: ["VALIDATION", "FORBIDDEN"],
});

// ---------------------------------------------------------------- groups
const GROUP = { groupId: "The group's id." } as const;
const groupRequest = { name: "Platform engineers", description: "Everyone in the platform team", idpGroup: "platform-engineers", grantsAdmin: false };
const groupExample = {
  id: "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10",
  ...groupRequest,
  memberCount: 12,
  projectRoles: [{ projectId: "8d0f9a52-2b7e-4c1a-9f3e-5a6b7c8d9e01", projectName: "Web Platform", role: "MEMBER" }],
  createdAt: "2026-03-01T12:00:00.000Z",
  updatedAt: "2026-03-01T12:00:00.000Z",
};

export const listGroupsOp = defineOperation({
  operationId: "adminListGroups",
  method: "GET",
  path: "/admin/groups",
  tag: "Administration: groups",
  summary: "List groups with their IdP mapping, project roles and member count",
  input: empty,
  verb: (ctx) => listGroups(ctx),
  response: I.groupList,
  examples: { response: { items: [groupExample] } },
  errors: ["FORBIDDEN"],
});
export const createGroupOp = defineOperation({
  operationId: "adminCreateGroup",
  method: "POST",
  path: "/admin/groups",
  tag: "Administration: groups",
  summary: "Create a group (optionally mapped to an IdP group claim value)",
  body: GRP.createGroupSchema,
  input: GRP.createGroupSchema,
  verb: createGroup,
  status: 201,
  response: I.group,
  messages: "groups.validation",
  examples: { request: groupRequest, response: groupExample },
  errors: ["VALIDATION", "FORBIDDEN"],
});
export const getGroupOp = defineOperation({
  operationId: "adminGetGroup",
  method: "GET",
  path: "/admin/groups/{groupId}",
  tag: "Administration: groups",
  summary: "Get a group with its members",
  pathParams: GROUP,
  input: GRP.groupIdSchema,
  prepare: ({ params }) => ({ id: params.groupId }),
  verb: getGroup,
  response: I.groupDetail,
  examples: { response: { ...groupExample, members: [{ userId: "5b1d2c3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", email: "ada@example.com", name: "Ada Lovelace", source: "IDP", disabled: false, since: "2026-03-01T12:00:00.000Z" }] } },
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const updateGroupOp = defineOperation({
  operationId: "adminUpdateGroup",
  method: "PUT",
  path: "/admin/groups/{groupId}",
  tag: "Administration: groups",
  summary: "Change a group's name, IdP mapping or administrator flag",
  pathParams: GROUP,
  body: GRP.groupFieldsSchema,
  input: GRP.updateGroupSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.groupId }),
  verb: updateGroup,
  response: I.group,
  messages: "groups.validation",
  examples: { request: groupRequest, response: groupExample },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const deleteGroupOp = defineOperation({
  operationId: "adminDeleteGroup",
  method: "DELETE",
  path: "/admin/groups/{groupId}",
  tag: "Administration: groups",
  summary: "Delete a group (its members lose what it granted)",
  pathParams: GROUP,
  input: GRP.groupIdSchema,
  prepare: ({ params }) => ({ id: params.groupId }),
  verb: deleteGroup,
  status: 204,
  response: null,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const addGroupMemberOp = defineOperation({
  operationId: "adminAddGroupMember",
  method: "POST",
  path: "/admin/groups/{groupId}/members",
  tag: "Administration: groups",
  summary: "Add a user to a group by e-mail",
  pathParams: GROUP,
  body: GRP.addGroupMemberSchema.omit({ groupId: true }),
  input: GRP.addGroupMemberSchema,
  prepare: ({ params, body }) => ({ ...body, groupId: params.groupId }),
  verb: addGroupMember,
  status: 201,
  response: I.groupMember,
  messages: "groups.validation",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const removeGroupMemberOp = defineOperation({
  operationId: "adminRemoveGroupMember",
  method: "DELETE",
  path: "/admin/groups/{groupId}/members/{userId}",
  tag: "Administration: groups",
  summary: "Remove a user from a group",
  description: "A member the identity provider's claim put in the group joins again at their next sign-in while the IdP lists them.",
  pathParams: { ...GROUP, userId: "The user's id." },
  input: GRP.removeGroupMemberSchema,
  prepare: ({ params }) => ({ groupId: params.groupId, userId: params.userId }),
  verb: removeGroupMember,
  response: I.groupMemberRef,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const setGroupProjectRoleOp = defineOperation({
  operationId: "adminSetGroupProjectRole",
  method: "PUT",
  path: "/admin/groups/{groupId}/projects/{projectId}",
  tag: "Administration: groups",
  summary: "Grant a group's members a role in a project",
  pathParams: { ...GROUP, projectId: "The project's id." },
  body: GRP.setGroupProjectRoleSchema.pick({ role: true }),
  input: GRP.setGroupProjectRoleSchema,
  prepare: ({ params, body }) => ({ ...body, groupId: params.groupId, projectId: params.projectId }),
  verb: setGroupProjectRole,
  response: I.groupProjectRole,
  messages: "groups.validation",
  examples: { request: { role: "MEMBER" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const removeGroupProjectRoleOp = defineOperation({
  operationId: "adminRemoveGroupProjectRole",
  method: "DELETE",
  path: "/admin/groups/{groupId}/projects/{projectId}",
  tag: "Administration: groups",
  summary: "Stop granting a role in a project through a group",
  pathParams: { ...GROUP, projectId: "The project's id." },
  input: GRP.removeGroupProjectRoleSchema,
  prepare: ({ params }) => ({ groupId: params.groupId, projectId: params.projectId }),
  verb: removeGroupProjectRole,
  response: I.groupProjectRef,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

// ---------------------------------------------------------------- invitations
export const inviteUserOp = defineOperation({
  operationId: "adminInviteUser",
  method: "POST",
  path: "/admin/users",
  tag: "Administration: users",
  summary: "Invite a person to a local account",
  description: "The invitation e-mail (in `locale`) carries a one-time link, valid 7 days, where they choose their password. Without e-mail configured the answer holds the link. Refused (409) when password sign-in is off (ORQ_LOCAL_LOGIN=off).",
  body: USR.inviteUserSchema,
  input: USR.inviteUserSchema,
  verb: inviteUser,
  status: 201,
  response: I.invitation,
  messages: "users.validation",
  examples: { request: { email: "ada@example.com", name: "Ada Lovelace", role: "USER", locale: "en" } },
  errors: ["VALIDATION", "FORBIDDEN", "CONFLICT"],
});
export const resendInvitationOp = defineOperation({
  operationId: "adminResendInvitation",
  method: "POST",
  path: "/admin/users/{userId}/invitation",
  tag: "Administration: users",
  summary: "Send a new invitation link (the old one stops working)",
  pathParams: { userId: "The user's id." },
  input: USR.userIdSchema,
  prepare: ({ params }) => ({ id: params.userId }),
  verb: resendInvitation,
  response: I.invitation,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

// ---------------------------------------------------------------- notification preferences
export const getNotificationPreferencesOp = defineOperation({
  operationId: "getNotificationPreferences",
  method: "GET",
  path: "/account/notification-preferences",
  tag: "Account",
  summary: "Where each kind of your notifications goes",
  input: empty,
  verb: (ctx) => getNotificationPreferences(ctx),
  response: I.notificationPreferences,
  errors: ["FORBIDDEN"],
});
export const updateNotificationPreferencesOp = defineOperation({
  operationId: "updateNotificationPreferences",
  method: "PUT",
  path: "/account/notification-preferences",
  tag: "Account",
  summary: "Choose in the portal, e-mail, both or none per kind, and the daily digest",
  body: updateNotificationPreferencesSchema,
  input: updateNotificationPreferencesSchema,
  verb: updateNotificationPreferences,
  response: I.notificationPreferences,
  messages: "settings.notifications.validation",
  examples: { request: { channels: { "machine.ready": "IN_APP", "operation.failed": "BOTH", "lease.expiring": "EMAIL" }, emailDigest: false } },
  errors: ["VALIDATION", "FORBIDDEN"],
});

// ---------------------------------------------------------------- e-mail and integrations
export const getIntegrationStatusOp = defineOperation({
  operationId: "adminGetIntegrations",
  method: "GET",
  path: "/admin/integrations",
  tag: "Administration: integrations",
  summary: "What is connected: single sign-on, e-mail, the webhook address policy",
  description: "As configured by the environment (never secrets or passwords), with the mail queue's and webhooks' recent failures.",
  input: empty,
  verb: (ctx) => getIntegrationStatus(ctx),
  response: I.integrationStatus,
  errors: ["FORBIDDEN"],
});
export const listEmailMessagesOp = defineOperation({
  operationId: "adminListEmailMessages",
  method: "GET",
  path: "/admin/email/messages",
  tag: "Administration: integrations",
  summary: "The outgoing mail log (newest first, without bodies)",
  query: z.strictObject({
    page,
    status: z.enum(["PENDING", "SENT", "FAILED"], { error: "Use one of: PENDING, SENT, FAILED." }).optional().meta({ description: "Only messages in this state." }),
  }),
  input: z.object({ page: z.int().min(1).max(MAX_PAGE).default(1), status: z.enum(["PENDING", "SENT", "FAILED"]).optional() }),
  verb: listEmailMessages,
  response: I.emailMessageList,
  errors: ["FORBIDDEN"],
});
export const sendTestEmailOp = defineOperation({
  operationId: "adminSendTestEmail",
  method: "POST",
  path: "/admin/email/test",
  tag: "Administration: integrations",
  summary: "Send a test e-mail to yourself through the mail queue",
  description: "Refused (409) when e-mail is not configured. Watch its state in GET /admin/email/messages.",
  input: empty,
  verb: sendTestEmail,
  status: 202,
  response: I.testEmailQueued,
  errors: ["FORBIDDEN", "CONFLICT"],
});

export const IDENTITY_OPERATIONS = [
  listWebhooksOp,
  createWebhookOp,
  getWebhookOp,
  updateWebhookOp,
  deleteWebhookOp,
  rotateWebhookSecretOp,
  redeliverWebhookOp,
  getWebhookSettingsOp,
  updateWebhookSettingsOp,
  listGroupsOp,
  createGroupOp,
  getGroupOp,
  updateGroupOp,
  deleteGroupOp,
  addGroupMemberOp,
  removeGroupMemberOp,
  setGroupProjectRoleOp,
  removeGroupProjectRoleOp,
  inviteUserOp,
  resendInvitationOp,
  getNotificationPreferencesOp,
  updateNotificationPreferencesOp,
  getIntegrationStatusOp,
  listEmailMessagesOp,
  sendTestEmailOp,
];
