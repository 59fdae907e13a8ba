// What a template looks like in the audit log (domain fields only, no timestamps).
import type { Template } from "../generated/prisma/client";

export const templateSnapshot = (t: Template) => ({
  id: t.id,
  name: t.name,
  osFamily: t.osFamily,
  osName: t.osName,
  osVersion: t.osVersion,
  description: t.description,
  minDiskGb: t.minDiskGb,
  active: t.active,
  userData: t.userData,
  defaultUser: t.defaultUser,
});
