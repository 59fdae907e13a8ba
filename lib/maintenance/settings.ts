// Maintenance settings from the environment (own module: placement reads it without importing
// the maintenance services).
const envHours = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return process.env[name] && Number.isFinite(n) && n >= 0 ? n : fallback;
};
/** Owners of affected machines are told this long before a window starts. */
export const maintenanceNoticeHours = () => envHours("ORQ_MAINTENANCE_NOTICE_HOURS", 72);
/** Placement avoids a host from this long before its window until the window ends. */
export const maintenanceLeadHours = () => envHours("ORQ_MAINTENANCE_LEAD_HOURS", 24);
