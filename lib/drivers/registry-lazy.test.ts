// Importing the registry (as the web process does, through kinds and capabilities) must load no
// driver code: each driver module is loaded by its factory, the first time a driver is built.
import { describe, expect, it, vi } from "vitest";
import type { Db } from "../db/client";

const DRIVER_MODULES = ["./docker/docker-driver", "./lxd/lxd-driver", "./libvirt/libvirt-driver", "./vsphere/vsphere-driver", "./simulator/simulator-driver"];

describe("driver registry", () => {
  it("loads a driver's code only when its factory builds one", async () => {
    vi.resetModules();
    const loaded = new Set<string>();
    for (const m of DRIVER_MODULES) {
      vi.doMock(m, async (importOriginal) => {
        loaded.add(m);
        return importOriginal();
      });
    }
    const { DRIVERS } = await import("./registry");
    await import("../providers/kinds");
    await import("../machines/capabilities");
    expect([...loaded]).toEqual([]);

    const driver = await DRIVERS.DOCKER.create!({ providerId: "p", endpoint: "unix:///nonexistent.sock", credentials: {}, config: {} }, { db: {} as Db });
    await driver.close();
    expect([...loaded]).toEqual(["./docker/docker-driver"]);
  });
});
