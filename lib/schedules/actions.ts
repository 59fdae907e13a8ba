// The operations a schedule may run (pure: the form lists them).
export const SCHEDULE_ACTIONS = ["START", "STOP", "REBOOT", "SNAPSHOT_CREATE", "BACKUP"] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];
