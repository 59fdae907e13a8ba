// The administration and account operations of /api/v1: every administrator action of the
// portal (offerings, templates and their provider references, projects, members and quotas,
// providers, hosts, simulator faults, users), and the self-service actions that had no API
// yet (lease extensions, notifications, API tokens, one's own sessions and password). Each
// calls the SAME service verb as the page's server action, with the same schema: the verbs
// check permissions (administrators only for /admin/*). A test lists the server actions and
// fails when one has no operation here or in operations.ts.
import "server-only";
import { z } from "zod";
import * as OFF from "../offerings/schemas";
import { listOfferings as listAdminOfferings } from "../offerings/list-offerings";
import { getOffering } from "../offerings/get-offering";
import { createOffering } from "../offerings/create-offering";
import { updateOffering } from "../offerings/update-offering";
import { setOfferingActive } from "../offerings/set-offering-active";
import { deleteOffering } from "../offerings/delete-offering";
import * as TPL from "../templates/schemas";
import { listTemplates } from "../templates/list-templates";
import { getTemplate } from "../templates/get-template";
import { createTemplate } from "../templates/create-template";
import { updateTemplate } from "../templates/update-template";
import { setTemplateActive } from "../templates/set-template-active";
import { deleteTemplate } from "../templates/delete-template";
import { setTemplateProviderRefs } from "../templates/set-template-provider-refs";
import * as PRJ from "../projects/schemas";
import { listProjects } from "../projects/list-projects";
import { getProject } from "../projects/get-project";
import { createProject } from "../projects/create-project";
import { updateProject } from "../projects/update-project";
import { setProjectArchived } from "../projects/set-project-archived";
import { deleteProject } from "../projects/delete-project";
import { addProjectMember } from "../projects/add-project-member";
import { changeMemberRole } from "../projects/change-member-role";
import { removeProjectMember } from "../projects/remove-project-member";
import * as PRV from "../providers/schemas";
import { listProviders } from "../capacity/list-providers";
import { getProvider } from "../providers/get-provider";
import { createProvider } from "../providers/create-provider";
import { updateProvider } from "../providers/update-provider";
import { deleteProvider } from "../providers/delete-provider";
import { setOfferingSizes } from "../providers/set-offering-sizes";
import { setProjectProviders } from "../projects/set-project-providers";
import { testProviderConnection } from "../providers/test-provider-connection";
import { discoverHosts } from "../providers/discover-hosts";
import { syncProviderNow } from "../providers/sync-provider-now";
import { setProviderEnabled } from "../providers/set-provider-enabled";
import { importUnmanagedMachine } from "../providers/import-unmanaged-machine";
import { listHostsSchema, setHostMaintenanceSchema } from "../capacity/schemas";
import { listHosts } from "../capacity/list-hosts";
import { setHostMaintenance } from "../capacity/set-host-maintenance";
import { addSimFaultSchema, removeSimFaultSchema } from "../simulator/schemas";
import { listSimFaults } from "../simulator/list-sim-faults";
import { addSimFault } from "../simulator/add-sim-fault";
import { removeSimFault } from "../simulator/remove-sim-fault";
import { decideLeaseExtensionSchema, listLeaseExtensionsSchema, requestLeaseExtensionSchema } from "../leases/schemas";
import { listLeaseExtensions } from "../leases/list-lease-extensions";
import { requestLeaseExtension } from "../leases/request-lease-extension";
import { decideLeaseExtension } from "../leases/decide-lease-extension";
import { listNotificationsSchema, markAllNotificationsReadSchema, markNotificationReadSchema } from "../notifications/schemas";
import { listNotifications } from "../notifications/list-notifications";
import { markNotificationRead } from "../notifications/mark-notification-read";
import { markAllNotificationsRead } from "../notifications/mark-all-notifications-read";
import * as USR from "../users/schemas";
import { listUsers } from "../users/list-users";
import { getUserDetail } from "../users/get-user-detail";
import { setUserDisabled } from "../users/set-user-disabled";
import { revokeUserAccess } from "../users/revoke-user-access";
import { deleteUser } from "../users/delete-user";
import { listMySessions } from "../users/list-my-sessions";
import { signOutEverywhere } from "../users/sign-out-everywhere";
import { changePassword } from "../users/change-password";
import { createApiTokenSchema, revokeApiTokenSchema } from "../apitokens/schemas";
import { listApiTokens } from "../apitokens/list-api-tokens";
import { createApiToken } from "../apitokens/create-api-token";
import { revokeApiToken } from "../apitokens/revoke-api-token";
import { runCountersReconcileSchema } from "../reconcile/schemas";
import { listReconcileRuns } from "../reconcile/list-reconcile-runs";
import { runCountersReconcile } from "../reconcile/run-counters-reconcile";
import { defineOperation } from "./operation";
import * as Q from "./queries";
import * as A from "./admin-responses";
import * as I from "./identity-responses";

const empty = z.object({});

// ---------------------------------------------------------------- offerings
const OFFERING = { offeringId: "The offering's id." } as const;
const offeringExample = { name: "m.large", description: "General purpose", vcpu: 4, memoryGib: 16, diskGb: 100, diskTier: "SSD", monthlyPrice: "120.00" };

export const adminListOfferingsOp = defineOperation({
  operationId: "adminListOfferings",
  method: "GET",
  path: "/admin/offerings",
  tag: "Administration: offerings",
  summary: "List every offering, active or not, with usage",
  input: empty,
  verb: (ctx) => listAdminOfferings(ctx),
  present: (items) => ({ items }),
  response: A.adminOfferingList,
  errors: ["FORBIDDEN"],
});
export const adminGetOfferingOp = defineOperation({
  operationId: "adminGetOffering",
  method: "GET",
  path: "/admin/offerings/{offeringId}",
  tag: "Administration: offerings",
  summary: "Get an offering",
  pathParams: OFFERING,
  input: OFF.offeringIdSchema,
  prepare: ({ params }) => ({ id: params.offeringId }),
  verb: getOffering,
  response: A.adminOfferingDetail,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const adminCreateOfferingOp = defineOperation({
  operationId: "adminCreateOffering",
  method: "POST",
  path: "/admin/offerings",
  tag: "Administration: offerings",
  summary: "Create an offering",
  description: "`memoryGib` in steps of 0.5; `monthlyPrice` in currency units as text (\"120.00\" or \"120,00\"). Names are unique.",
  body: OFF.createOfferingSchema,
  input: OFF.createOfferingSchema,
  verb: createOffering,
  status: 201,
  response: A.adminOffering,
  examples: { request: offeringExample },
  errors: ["VALIDATION", "FORBIDDEN"],
});
export const adminUpdateOfferingOp = defineOperation({
  operationId: "adminUpdateOffering",
  method: "PUT",
  path: "/admin/offerings/{offeringId}",
  tag: "Administration: offerings",
  summary: "Replace an offering's fields",
  description: "Machines keep what they reserved at approval; the new values apply to new requests.",
  pathParams: OFFERING,
  body: OFF.createOfferingSchema,
  input: OFF.updateOfferingSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.offeringId }),
  verb: updateOffering,
  response: A.adminOffering,
  examples: { request: offeringExample },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
const activeBody = z.object({ active: z.boolean().meta({ description: "true: users can request it; false: hidden from the catalogue." }) });
export const adminSetOfferingActiveOp = defineOperation({
  operationId: "adminSetOfferingActive",
  method: "PUT",
  path: "/admin/offerings/{offeringId}/active",
  tag: "Administration: offerings",
  summary: "Activate or deactivate an offering",
  pathParams: OFFERING,
  body: activeBody,
  input: OFF.setOfferingActiveSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.offeringId }),
  verb: setOfferingActive,
  response: A.adminOffering,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminDeleteOfferingOp = defineOperation({
  operationId: "adminDeleteOffering",
  method: "DELETE",
  path: "/admin/offerings/{offeringId}",
  tag: "Administration: offerings",
  summary: "Delete an offering (deactivated instead when in use)",
  pathParams: OFFERING,
  input: OFF.offeringIdSchema,
  prepare: ({ params }) => ({ id: params.offeringId }),
  verb: deleteOffering,
  response: A.deleteOutcome,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

// ---------------------------------------------------------------- templates
const TEMPLATE = { templateId: "The template's id." } as const;
const templateExample = { name: "ubuntu-24.04", osFamily: "LINUX", osName: "Ubuntu", osVersion: "24.04", description: "LTS with cloud-init", minDiskGb: 20 };

export const adminListTemplatesOp = defineOperation({
  operationId: "adminListTemplates",
  method: "GET",
  path: "/admin/templates",
  tag: "Administration: templates",
  summary: "List every template with usage",
  input: empty,
  verb: (ctx) => listTemplates(ctx),
  present: (items) => ({ items }),
  response: A.adminTemplateList,
  errors: ["FORBIDDEN"],
});
export const adminGetTemplateOp = defineOperation({
  operationId: "adminGetTemplate",
  method: "GET",
  path: "/admin/templates/{templateId}",
  tag: "Administration: templates",
  summary: "Get a template with its native reference on each provider",
  pathParams: TEMPLATE,
  input: TPL.templateIdSchema,
  prepare: ({ params }) => ({ id: params.templateId }),
  verb: getTemplate,
  response: A.adminTemplateDetail,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const adminCreateTemplateOp = defineOperation({
  operationId: "adminCreateTemplate",
  method: "POST",
  path: "/admin/templates",
  tag: "Administration: templates",
  summary: "Create a template",
  body: TPL.createTemplateSchema,
  input: TPL.createTemplateSchema,
  verb: createTemplate,
  status: 201,
  response: A.adminTemplate,
  examples: { request: templateExample },
  errors: ["VALIDATION", "FORBIDDEN"],
});
export const adminUpdateTemplateOp = defineOperation({
  operationId: "adminUpdateTemplate",
  method: "PUT",
  path: "/admin/templates/{templateId}",
  tag: "Administration: templates",
  summary: "Replace a template's fields",
  pathParams: TEMPLATE,
  body: TPL.createTemplateSchema,
  input: TPL.updateTemplateSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.templateId }),
  verb: updateTemplate,
  response: A.adminTemplate,
  examples: { request: templateExample },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const adminSetTemplateActiveOp = defineOperation({
  operationId: "adminSetTemplateActive",
  method: "PUT",
  path: "/admin/templates/{templateId}/active",
  tag: "Administration: templates",
  summary: "Activate or deactivate a template",
  pathParams: TEMPLATE,
  body: activeBody,
  input: TPL.setTemplateActiveSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.templateId }),
  verb: setTemplateActive,
  response: A.adminTemplate,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminDeleteTemplateOp = defineOperation({
  operationId: "adminDeleteTemplate",
  method: "DELETE",
  path: "/admin/templates/{templateId}",
  tag: "Administration: templates",
  summary: "Delete a template (deactivated instead when in use)",
  pathParams: TEMPLATE,
  input: TPL.templateIdSchema,
  prepare: ({ params }) => ({ id: params.templateId }),
  verb: deleteTemplate,
  response: A.deleteOutcome,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const adminSetTemplateProviderRefsOp = defineOperation({
  operationId: "adminSetTemplateProviderRefs",
  method: "PUT",
  path: "/admin/templates/{templateId}/provider-refs",
  tag: "Administration: templates",
  summary: "Set the template's native reference on providers",
  description: "One entry per provider to change; an empty `ref` removes the mapping (that provider can no longer serve the template). Providers not listed keep theirs.",
  pathParams: TEMPLATE,
  body: TPL.setTemplateProviderRefsSchema.omit({ templateId: true }),
  input: TPL.setTemplateProviderRefsSchema,
  prepare: ({ params, body }) => ({ ...body, templateId: params.templateId }),
  verb: setTemplateProviderRefs,
  response: A.templateProviderRefs,
  examples: { request: { refs: [{ providerId: "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10", ref: "ubuntu-24.04-template" }] } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});

// ---------------------------------------------------------------- projects, members, quotas
const PROJECT = { projectId: "The project's id." } as const;
const projectExample = {
  name: "Web Platform",
  slug: "web-platform",
  description: "Customer-facing services",
  quotaVcpu: 64,
  quotaMemoryGib: 256,
  quotaDiskSsdGb: 2000,
  quotaDiskHddGb: 10000,
  quotaMachines: 40,
  monthlyBudget: "5000.00",
  autoApproveBelow: "100.00",
  maxLeaseDays: 90,
  leaseGraceDays: 7,
  disabledActions: [],
};

export const adminListProjectsOp = defineOperation({
  operationId: "adminListProjects",
  method: "GET",
  path: "/admin/projects",
  tag: "Administration: projects",
  summary: "List every project with quotas and usage",
  input: empty,
  verb: (ctx) => listProjects(ctx),
  present: (items) => ({ items }),
  response: A.adminProjectList,
  errors: ["FORBIDDEN"],
});
export const adminGetProjectOp = defineOperation({
  operationId: "adminGetProject",
  method: "GET",
  path: "/admin/projects/{projectId}",
  tag: "Administration: projects",
  summary: "Get a project with its members",
  pathParams: PROJECT,
  input: PRJ.projectIdSchema,
  prepare: ({ params }) => ({ id: params.projectId }),
  verb: getProject,
  response: A.adminProjectDetail,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const adminCreateProjectOp = defineOperation({
  operationId: "adminCreateProject",
  method: "POST",
  path: "/admin/projects",
  tag: "Administration: projects",
  summary: "Create a project with its quotas and policies",
  description:
    "Quotas: vCPUs, memory (GiB, steps of 0.5), SSD and HDD disk (GB), machines; `monthlyBudget` and `autoApproveBelow` in currency units as text (empty: none). `disabledActions` switches day-2 actions off for the project.",
  body: PRJ.createProjectSchema,
  input: PRJ.createProjectSchema,
  verb: createProject,
  status: 201,
  response: A.adminProject,
  examples: { request: projectExample },
  errors: ["VALIDATION", "FORBIDDEN"],
});
export const adminUpdateProjectOp = defineOperation({
  operationId: "adminUpdateProject",
  method: "PUT",
  path: "/admin/projects/{projectId}",
  tag: "Administration: projects",
  summary: "Replace a project's fields, quotas included",
  description: "A quota below current usage is refused (VALIDATION).",
  pathParams: PROJECT,
  body: PRJ.createProjectSchema,
  input: PRJ.updateProjectSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.projectId }),
  verb: updateProject,
  response: A.adminProject,
  examples: { request: projectExample },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const adminSetProjectArchivedOp = defineOperation({
  operationId: "adminSetProjectArchived",
  method: "PUT",
  path: "/admin/projects/{projectId}/archived",
  tag: "Administration: projects",
  summary: "Archive or restore a project",
  pathParams: PROJECT,
  body: z.object({ archived: z.boolean().meta({ description: "true: no new requests; machines keep running." }) }),
  input: PRJ.setProjectArchivedSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.projectId }),
  verb: setProjectArchived,
  response: A.adminProject,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminDeleteProjectOp = defineOperation({
  operationId: "adminDeleteProject",
  method: "DELETE",
  path: "/admin/projects/{projectId}",
  tag: "Administration: projects",
  summary: "Delete a project (archived instead when it has history)",
  pathParams: PROJECT,
  input: PRJ.projectIdSchema,
  prepare: ({ params }) => ({ id: params.projectId }),
  verb: deleteProject,
  response: A.deleteOutcome,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const adminSetProjectProvidersOp = defineOperation({
  operationId: "adminSetProjectProviders",
  method: "PUT",
  path: "/admin/projects/{projectId}/providers",
  tag: "Administration: projects",
  summary: "Set the providers a project's machines may be placed on, and its default",
  description:
    "An empty `providerIds` lets the project use every provider. `defaultProviderId` (one of `providerIds` when that list is not empty; empty or null: none) is tried first when a request lets the portal choose.",
  pathParams: PROJECT,
  body: PRJ.setProjectProvidersSchema.omit({ projectId: true }),
  input: PRJ.setProjectProvidersSchema,
  prepare: ({ params, body }) => ({ ...body, projectId: params.projectId }),
  verb: setProjectProviders,
  response: A.projectProviders,
  messages: "projects.validation",
  examples: { request: { providerIds: ["3f0f7c4e-6a3b-4f0e-9a51-3c1e2b7d9a10"], defaultProviderId: "3f0f7c4e-6a3b-4f0e-9a51-3c1e2b7d9a10" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminAddMemberOp = defineOperation({
  operationId: "adminAddProjectMember",
  method: "POST",
  path: "/admin/projects/{projectId}/members",
  tag: "Administration: projects",
  summary: "Add a user to a project by e-mail",
  pathParams: PROJECT,
  body: PRJ.addMemberSchema.omit({ projectId: true }),
  input: PRJ.addMemberSchema,
  prepare: ({ params, body }) => ({ ...body, projectId: params.projectId }),
  verb: addProjectMember,
  status: 201,
  response: A.memberAdded,
  examples: { request: { email: "ada@example.com", role: "MEMBER" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
const MEMBER = { projectId: "The project's id.", userId: "The member's user id." } as const;
export const adminChangeMemberRoleOp = defineOperation({
  operationId: "adminChangeMemberRole",
  method: "PUT",
  path: "/admin/projects/{projectId}/members/{userId}",
  tag: "Administration: projects",
  summary: "Change a member's role",
  pathParams: MEMBER,
  body: PRJ.changeMemberRoleSchema.omit({ projectId: true, userId: true }),
  input: PRJ.changeMemberRoleSchema,
  prepare: ({ params, body }) => ({ ...body, projectId: params.projectId, userId: params.userId }),
  verb: changeMemberRole,
  response: A.memberRole,
  examples: { request: { role: "APPROVER" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminRemoveMemberOp = defineOperation({
  operationId: "adminRemoveProjectMember",
  method: "DELETE",
  path: "/admin/projects/{projectId}/members/{userId}",
  tag: "Administration: projects",
  summary: "Remove a member from a project",
  pathParams: MEMBER,
  input: PRJ.removeMemberSchema,
  prepare: ({ params }) => ({ projectId: params.projectId, userId: params.userId }),
  verb: removeProjectMember,
  response: A.memberRef,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

// ---------------------------------------------------------------- providers and hosts
const PROVIDER = { providerId: "The provider's id." } as const;
const providerExample = {
  name: "vcenter-lab",
  kind: "VSPHERE",
  endpoint: "https://vcenter.example.com/sdk",
  credentials: { username: "orquestra@vsphere.local", password: "s3cret" },
  config: { datacenter: "DC0", cluster: "DC0_C0", datastore: "LocalDS_0" },
  cpuOvercommit: 4,
  memoryOvercommit: 1,
  diskOvercommit: 1,
  placementPolicy: "SPREAD",
};
const providerAction = (name: string, path: string, summary: string, verb: (ctx: never, input: { id: string }) => Promise<unknown>, response: z.ZodType, description?: string) =>
  defineOperation({
    operationId: name,
    method: "POST",
    path: `/admin/providers/{providerId}/${path}`,
    tag: "Administration: providers",
    summary,
    description,
    pathParams: PROVIDER,
    input: PRV.providerIdSchema,
    prepare: ({ params }) => ({ id: params.providerId }),
    verb: verb as never,
    response,
    errors: ["FORBIDDEN", "NOT_FOUND"],
  });

export const adminListProvidersOp = defineOperation({
  operationId: "adminListProviders",
  method: "GET",
  path: "/admin/providers",
  tag: "Administration: providers",
  summary: "List providers with their capacity and usage",
  input: empty,
  verb: (ctx) => listProviders(ctx),
  present: (items) => ({ items }),
  response: A.adminProviderList,
  errors: ["FORBIDDEN"],
});
export const adminGetProviderOp = defineOperation({
  operationId: "adminGetProvider",
  method: "GET",
  path: "/admin/providers/{providerId}",
  tag: "Administration: providers",
  summary: "Get a provider (never its credentials)",
  pathParams: PROVIDER,
  input: PRV.providerIdSchema,
  prepare: ({ params }) => ({ id: params.providerId }),
  verb: getProvider,
  response: A.adminProviderDetail,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const adminCreateProviderOp = defineOperation({
  operationId: "adminCreateProvider",
  method: "POST",
  path: "/admin/providers",
  tag: "Administration: providers",
  summary: "Register a provider",
  description:
    "The endpoint's form, the credential keys and the `config` object (its keys per kind: see the provider form) depend on `kind` (VSPHERE: https URL and username/password; LIBVIRT: qemu+ssh:// or test:///; LXD: unix socket path or https URL; DOCKER: unix socket, tcp:// or https URL; SIMULATOR: none). Credentials are sealed with AES-256-GCM and never sent back.",
  body: PRV.createProviderSchema,
  input: PRV.createProviderSchema,
  verb: createProvider,
  status: 201,
  response: A.providerRef,
  messages: "providers.validation",
  examples: { request: providerExample },
  errors: ["VALIDATION", "FORBIDDEN"],
});
export const adminUpdateProviderOp = defineOperation({
  operationId: "adminUpdateProvider",
  method: "PUT",
  path: "/admin/providers/{providerId}",
  tag: "Administration: providers",
  summary: "Replace a provider's settings",
  description: "A blank credential value keeps the stored one; `clearCredentials: true` forgets them all. The kind cannot change.",
  pathParams: PROVIDER,
  body: PRV.updateProviderSchema.omit({ id: true }),
  input: PRV.updateProviderSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.providerId }),
  verb: updateProvider,
  response: A.providerRef,
  messages: "providers.validation",
  examples: { request: { ...providerExample, kind: undefined, clearCredentials: false } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminTestProviderOp = providerAction(
  "adminTestProviderConnection",
  "test-connection",
  "Test the connection to a provider",
  testProviderConnection,
  A.connectionResult,
  "Calls the provider (10 s at most) and records the outcome in the provider's status: a failure answers 200 with `ok: false`.",
);
export const adminDiscoverHostsOp = providerAction("adminDiscoverHosts", "discover-hosts", "Discover the provider's hosts and their capacity", discoverHosts, A.discoverResult);
export const adminSyncProviderOp = providerAction("adminSyncProvider", "sync", "Sync the provider's inventory now (drift, unmanaged machines)", syncProviderNow, A.syncResult);
export const adminSetProviderEnabledOp = defineOperation({
  operationId: "adminSetProviderEnabled",
  method: "PUT",
  path: "/admin/providers/{providerId}/enabled",
  tag: "Administration: providers",
  summary: "Enable (after a connection test) or disable a provider",
  pathParams: PROVIDER,
  body: z.object({ enabled: z.boolean().meta({ description: "false: placement skips it; true: tested, then ACTIVE or UNAVAILABLE." }) }),
  input: PRV.setProviderEnabledSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.providerId }),
  verb: setProviderEnabled,
  response: A.providerEnabled,
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminDeleteProviderOp = defineOperation({
  operationId: "adminDeleteProvider",
  method: "DELETE",
  path: "/admin/providers/{providerId}",
  tag: "Administration: providers",
  summary: "Delete a provider that runs no machines",
  description: "Refused (CONFLICT) while machines that are not deleted are on the provider: delete or move them first. Its hosts, image references, sizes and stored credentials go with it.",
  pathParams: PROVIDER,
  input: PRV.providerIdSchema,
  prepare: ({ params }) => ({ id: params.providerId }),
  verb: deleteProvider,
  response: A.providerRef,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const adminSetOfferingSizesOp = defineOperation({
  operationId: "adminSetOfferingSizes",
  method: "PUT",
  path: "/admin/providers/{providerId}/offering-sizes",
  tag: "Administration: providers",
  summary: "Map offerings to a cloud provider's sizes (instance types, VM sizes)",
  description: "For providers that sell fixed shapes (EC2, Azure). One row per offering; an empty `ref` removes the mapping, and the provider then no longer serves that offering.",
  pathParams: PROVIDER,
  body: PRV.setOfferingSizesSchema.omit({ providerId: true }),
  input: PRV.setOfferingSizesSchema,
  prepare: ({ params, body }) => ({ ...body, providerId: params.providerId }),
  verb: setOfferingSizes,
  response: A.offeringSizes,
  messages: "providers.validation",
  examples: { request: { refs: [{ offeringId: "3f0f7c4e-6a3b-4f0e-9a51-3c1e2b7d9a10", ref: "t3.medium" }] } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminImportUnmanagedOp = defineOperation({
  operationId: "adminImportUnmanagedMachine",
  method: "POST",
  path: "/admin/providers/{providerId}/unmanaged/{unmanagedId}/import",
  tag: "Administration: providers",
  summary: "Import a machine found on the provider into a project",
  pathParams: { providerId: "The provider's id.", unmanagedId: "The unmanaged machine's id (from the provider's `unmanagedMachines`)." },
  body: PRV.importUnmanagedSchema.omit({ unmanagedId: true }),
  input: PRV.importUnmanagedSchema,
  prepare: ({ params, body }) => ({ ...body, unmanagedId: params.unmanagedId }),
  verb: importUnmanagedMachine,
  status: 201,
  response: A.machineRef,
  messages: "providers.validation",
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "QUOTA_EXCEEDED"],
});
export const adminListHostsOp = defineOperation({
  operationId: "adminListHosts",
  method: "GET",
  path: "/admin/hosts",
  tag: "Administration: hosts",
  summary: "List hosts with used and total capacity",
  description: "50 a page.",
  query: Q.hostsQuery,
  input: listHostsSchema,
  verb: listHosts,
  response: A.hostList,
  errors: ["FORBIDDEN"],
});
export const adminSetHostMaintenanceOp = defineOperation({
  operationId: "adminSetHostMaintenance",
  method: "PUT",
  path: "/admin/hosts/{hostId}/maintenance",
  tag: "Administration: hosts",
  summary: "Put a host in maintenance (placement skips it, its machines are drained off) or back",
  description:
    "Entering maintenance starts a drain: every machine moves to another host as a MIGRATE operation (live where the provider can, else stopped and started again inside its owner's stop window); follow it with GET /admin/maintenance. Leaving maintenance stops starting new moves.",
  pathParams: { hostId: "The host's id." },
  body: setHostMaintenanceSchema.omit({ hostId: true }),
  input: setHostMaintenanceSchema,
  prepare: ({ params, body }) => ({ ...body, hostId: params.hostId }),
  verb: setHostMaintenance,
  response: A.hostState,
  examples: { request: { maintenance: true, reason: "Replacing a failed DIMM" } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

// ---------------------------------------------------------------- simulator faults
export const adminListSimFaultsOp = defineOperation({
  operationId: "adminListSimulatorFaults",
  method: "GET",
  path: "/admin/simulator/faults",
  tag: "Administration: simulator",
  summary: "List injected faults per simulator provider",
  input: empty,
  verb: (ctx) => listSimFaults(ctx),
  present: (items) => ({ items }),
  response: A.simFaultList,
  errors: ["FORBIDDEN"],
});
export const adminAddSimFaultOp = defineOperation({
  operationId: "adminAddSimulatorFault",
  method: "POST",
  path: "/admin/simulator/faults",
  tag: "Administration: simulator",
  summary: "Inject a fault into a simulator provider",
  description: "`operation` is a driver method or `*`; `remaining` the number of calls it affects (null: every call until removed).",
  body: addSimFaultSchema,
  input: addSimFaultSchema,
  verb: addSimFault,
  status: 201,
  response: A.idRef,
  examples: { request: { providerId: "3f6c1c1e-8a51-4c3e-9d6b-0c5a7b2e9f10", operation: "provision", mode: "TRANSIENT", message: "injected fault", remaining: 2 } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminRemoveSimFaultOp = defineOperation({
  operationId: "adminRemoveSimulatorFault",
  method: "DELETE",
  path: "/admin/simulator/faults/{faultId}",
  tag: "Administration: simulator",
  summary: "Remove an injected fault",
  pathParams: { faultId: "The fault's id." },
  input: removeSimFaultSchema,
  prepare: ({ params }) => ({ faultId: params.faultId }),
  verb: removeSimFault,
  response: A.idRef,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});

// ---------------------------------------------------------------- users
const USER = { userId: "The user's id." } as const;
export const adminListUsersOp = defineOperation({
  operationId: "adminListUsers",
  method: "GET",
  path: "/admin/users",
  tag: "Administration: users",
  summary: "List users with their sessions and tokens",
  description: "20 a page, by e-mail (or `sort` by name or sign-up time): page numbers or keyset pages (`nextCursor` as `cursor`). Deleted users are not listed.",
  query: Q.usersQuery,
  input: USR.listUsersSchema,
  verb: listUsers,
  response: I.adminUserRowList,
  errors: ["FORBIDDEN"],
});
export const adminGetUserOp = defineOperation({
  operationId: "adminGetUser",
  method: "GET",
  path: "/admin/users/{userId}",
  tag: "Administration: users",
  summary: "Get a user with their groups and project roles (own, through groups, effective)",
  pathParams: USER,
  input: USR.userIdSchema,
  prepare: ({ params }) => ({ id: params.userId }),
  verb: getUserDetail,
  response: I.adminUserDetail,
  errors: ["FORBIDDEN", "NOT_FOUND"],
});
export const adminSetUserDisabledOp = defineOperation({
  operationId: "adminSetUserDisabled",
  method: "PUT",
  path: "/admin/users/{userId}/disabled",
  tag: "Administration: users",
  summary: "Disable or enable a user",
  description: "Disabling ends the user's sessions at once; their API tokens are refused while disabled. You cannot disable yourself.",
  pathParams: USER,
  body: USR.setUserDisabledSchema.omit({ id: true }),
  input: USR.setUserDisabledSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.userId }),
  verb: setUserDisabled,
  response: I.adminUserRow,
  messages: "users.validation",
  examples: { request: { disabled: true } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const adminRevokeUserAccessOp = defineOperation({
  operationId: "adminRevokeUserAccess",
  method: "POST",
  path: "/admin/users/{userId}/revoke-access",
  tag: "Administration: users",
  summary: "End a user's sessions and revoke their API tokens",
  pathParams: USER,
  body: USR.revokeUserAccessSchema.omit({ id: true }),
  input: USR.revokeUserAccessSchema,
  prepare: ({ params, body }) => ({ ...body, id: params.userId }),
  verb: revokeUserAccess,
  response: A.accessRevoked,
  messages: "users.validation",
  examples: { request: { sessions: true, tokens: true } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND"],
});
export const adminDeleteUserOp = defineOperation({
  operationId: "adminDeleteUser",
  method: "DELETE",
  path: "/admin/users/{userId}",
  tag: "Administration: users",
  summary: "Delete a user (anonymised: history keeps its id)",
  description: "The account becomes a tombstone (\"Deleted user\", no e-mail, no password), leaves its projects, and loses its sessions, tokens and notifications. Requests, machines and the audit trail stay. You cannot delete yourself or the last administrator.",
  pathParams: USER,
  input: USR.userIdSchema,
  prepare: ({ params }) => ({ id: params.userId }),
  verb: deleteUser,
  status: 204,
  response: null,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});

// ---------------------------------------------------------------- lease extensions
export const requestLeaseExtensionOp = defineOperation({
  operationId: "requestLeaseExtension",
  method: "POST",
  path: "/machines/{machineId}/lease-extension",
  tag: "Leases",
  summary: "Extend a machine's lease",
  description: "Within the project's maximum lease it applies at once; beyond it, it waits for an approver of the project.",
  pathParams: { machineId: "The machine's id." },
  body: requestLeaseExtensionSchema.omit({ machineId: true }),
  input: requestLeaseExtensionSchema,
  prepare: ({ params, body }) => ({ ...body, machineId: params.machineId }),
  verb: requestLeaseExtension,
  response: A.leaseExtensionOutcome,
  messages: "leases",
  examples: { request: { newEndDate: "2026-12-31", reason: "Needed until the migration is finished." } },
  errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const listLeaseExtensionsOp = defineOperation({
  operationId: "listLeaseExtensions",
  method: "GET",
  path: "/lease-extensions",
  tag: "Leases",
  summary: "List lease extensions waiting for (or given) a decision",
  description: "In the projects where you approve (every project for an administrator); 20 a page.",
  query: Q.leaseExtensionsQuery,
  input: listLeaseExtensionsSchema,
  verb: listLeaseExtensions,
  response: A.leaseExtensionList,
  errors: ["FORBIDDEN"],
});
const decide = (decision: "APPROVE" | "REJECT") =>
  defineOperation({
    operationId: decision === "APPROVE" ? "approveLeaseExtension" : "rejectLeaseExtension",
    method: "POST",
    path: `/lease-extensions/{extensionId}/${decision === "APPROVE" ? "approve" : "reject"}`,
    tag: "Leases",
    summary: decision === "APPROVE" ? "Approve a lease extension" : "Reject a lease extension",
    pathParams: { extensionId: "The extension's id." },
    body: decideLeaseExtensionSchema.pick({ reason: true }),
    input: decideLeaseExtensionSchema,
    prepare: ({ params, body }) => ({ ...body, extensionId: params.extensionId, decision }),
    verb: decideLeaseExtension,
    response: A.leaseDecision,
    messages: "leases",
    examples: { request: { reason: decision === "APPROVE" ? "" : "Use a new machine instead." } },
    errors: ["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT"],
  });
export const approveLeaseExtensionOp = decide("APPROVE");
export const rejectLeaseExtensionOp = decide("REJECT");

// ---------------------------------------------------------------- notifications
export const listNotificationsOp = defineOperation({
  operationId: "listNotifications",
  method: "GET",
  path: "/notifications",
  tag: "Notifications",
  summary: "List your notifications, newest first",
  query: Q.notificationsQuery,
  input: listNotificationsSchema,
  verb: listNotifications,
  response: A.notificationList,
  errors: [],
});
export const markNotificationReadOp = defineOperation({
  operationId: "markNotificationRead",
  method: "POST",
  path: "/notifications/{notificationId}/read",
  tag: "Notifications",
  summary: "Mark one of your notifications read",
  pathParams: { notificationId: "The notification's id." },
  input: markNotificationReadSchema,
  prepare: ({ params }) => ({ notificationId: params.notificationId }),
  verb: markNotificationRead,
  response: A.markedRead,
  errors: ["NOT_FOUND"],
});
export const markAllNotificationsReadOp = defineOperation({
  operationId: "markAllNotificationsRead",
  method: "POST",
  path: "/notifications/read-all",
  tag: "Notifications",
  summary: "Mark all your notifications read",
  input: markAllNotificationsReadSchema,
  verb: markAllNotificationsRead,
  response: A.markedAll,
  errors: [],
});

// ---------------------------------------------------------------- API tokens and account
export const listTokensOp = defineOperation({
  operationId: "listApiTokens",
  method: "GET",
  path: "/tokens",
  tag: "Account",
  summary: "List your API tokens (never their secrets)",
  input: empty,
  verb: (ctx) => listApiTokens(ctx),
  present: (items) => ({ items }),
  response: A.tokenList,
  errors: ["FORBIDDEN"],
});
export const createTokenOp = defineOperation({
  operationId: "createApiToken",
  method: "POST",
  path: "/tokens",
  tag: "Account",
  summary: "Create an API token (the secret is in this answer only)",
  description: "`expiresOn` is a day after today and at most a year away (YYYY-MM-DD, end of that day UTC); absent or empty: no expiry. At most 50 live tokens per person.",
  body: createApiTokenSchema,
  input: createApiTokenSchema,
  verb: createApiToken,
  status: 201,
  response: A.tokenCreated,
  examples: { request: { name: "Terraform on build server", expiresOn: "2026-12-31" } },
  errors: ["VALIDATION", "FORBIDDEN", "CONFLICT"],
});
export const revokeTokenOp = defineOperation({
  operationId: "revokeApiToken",
  method: "DELETE",
  path: "/tokens/{tokenId}",
  tag: "Account",
  summary: "Revoke one of your API tokens",
  pathParams: { tokenId: "The token's id." },
  input: revokeApiTokenSchema,
  prepare: ({ params }) => ({ tokenId: params.tokenId }),
  verb: revokeApiToken,
  response: A.tokenRef,
  errors: ["FORBIDDEN", "NOT_FOUND", "CONFLICT"],
});
export const listSessionsOp = defineOperation({
  operationId: "listSessions",
  method: "GET",
  path: "/account/sessions",
  tag: "Account",
  summary: "List your signed-in browser sessions",
  input: empty,
  verb: (ctx) => listMySessions(ctx),
  response: A.sessionList,
  errors: ["FORBIDDEN"],
});
export const signOutEverywhereOp = defineOperation({
  operationId: "signOutEverywhere",
  method: "POST",
  path: "/account/sign-out-everywhere",
  tag: "Account",
  summary: "End every browser session of your account",
  description: "API tokens keep working; revoke them with DELETE /tokens/{tokenId}.",
  input: USR.noInputSchema,
  verb: signOutEverywhere,
  response: A.sessionsEnded,
  errors: ["FORBIDDEN"],
});
export const changePasswordOp = defineOperation({
  operationId: "changePassword",
  method: "POST",
  path: "/account/password",
  tag: "Account",
  summary: "Change your password (ends your other sessions)",
  body: USR.changePasswordSchema,
  input: USR.changePasswordSchema,
  verb: changePassword,
  response: A.sessionsEnded,
  messages: "users.validation",
  examples: { request: { currentPassword: "correct horse battery staple", newPassword: "a much longer passphrase 2026" } },
  errors: ["VALIDATION", "FORBIDDEN"],
});

// ---------------------------------------------------------------- reconcile
export const adminGetReconcileOp = defineOperation({
  operationId: "adminGetReconcile",
  method: "GET",
  path: "/admin/reconcile",
  tag: "Administration: reconcile",
  summary: "Recent counter checks and each provider's last ownership reconcile",
  input: empty,
  verb: (ctx) => listReconcileRuns(ctx),
  response: A.reconcileOverview,
  errors: ["FORBIDDEN"],
});
export const adminRunCountersReconcileOp = defineOperation({
  operationId: "adminRunCountersReconcile",
  method: "POST",
  path: "/admin/reconcile/counters",
  tag: "Administration: reconcile",
  summary: "Compare every project's and host's stored usage with the sum of live reservations, and repair drift",
  description: "With `repair: false` the drift is reported only. Each repair is audited (`project.usage_repair`, `host.usage_repair`).",
  body: runCountersReconcileSchema,
  input: runCountersReconcileSchema,
  verb: runCountersReconcile,
  response: A.countersOutcome,
  examples: { request: { repair: true } },
  errors: ["VALIDATION", "FORBIDDEN"],
});
