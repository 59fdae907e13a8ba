// vSphere's descriptor: its profile, a lazy factory, and the release of the process-wide
// session pool (lib/drivers/descriptor.ts, session-pool.ts).
import type { DriverDescriptor } from "../descriptor";
import { vsphereProfile } from "./profile";

/** Whether this process ever built a vSphere driver (else there is no pool to close). */
let loaded = false;

export const vsphereDescriptor: DriverDescriptor = {
  ...vsphereProfile,
  create: async (config) => {
    loaded = true;
    return new (await import("./vsphere-driver")).VsphereDriver(config);
  },
  closeAll: async () => {
    if (loaded) await (await import("./session-pool")).vimSessions.closeAll();
  },
};
