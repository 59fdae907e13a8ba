// The NoCloud seed of a libvirt machine (cloud-init's "cidata" data source): `user-data` (the
// merged #cloud-config) and `meta-data` (instance-id, local-hostname) on an ISO 9660 image
// labelled cidata, built on the worker with genisoimage (an argument array, no shell). The
// driver uploads it into the storage pool beside the machine's disk and attaches it as a
// read-only CD-ROM.
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { mergeCloudConfig, noCloudMetaData } from "../../access/cloud-config";
import { isAbort, timeoutError } from "../call";
import { DriverError, type MachineSpec } from "../types";

/** Does the machine boot with a seed? Only when there is something to give cloud-init. */
export function needsSeed(spec: Pick<MachineSpec, "userData" | "sshKeys">): boolean {
  return Boolean(spec.userData?.trim()) || (spec.sshKeys?.some((k) => k.trim()) ?? false);
}

/**
 * The seed's two documents. The user data is merged again with the spec's keys and hostname
 * (the same merge as every driver; idempotent on an already merged document), so keys passed
 * without a document still arrive.
 */
export function seedDocuments(spec: Pick<MachineSpec, "machineId" | "userData" | "sshKeys">, hostname: string): { userData: string; metaData: string } {
  let userData: string;
  try {
    userData = mergeCloudConfig({ userData: spec.userData ?? "", hostname, sshKeys: spec.sshKeys ?? [] });
  } catch (err) {
    throw new DriverError("PROVIDER", `the machine's cloud-init user data cannot be read: ${(err as Error).message}`, false);
  }
  return { userData, metaData: noCloudMetaData(spec.machineId, hostname) };
}

export interface BuiltSeed {
  /** The ISO file, in a private temporary directory. */
  file: string;
  bytes: number;
  /** Removes the temporary directory. */
  dispose: () => Promise<void>;
}

/**
 * Writes user-data and meta-data into a private temporary directory and builds seed.iso there
 * (`genisoimage -output seed.iso -volid cidata -joliet -rock user-data meta-data`). A missing
 * genisoimage is a typed, non-retryable error that says so.
 */
export async function buildSeedIso(docs: { userData: string; metaData: string }, opts: { genisoimage: string; signal: AbortSignal }): Promise<BuiltSeed> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "orq-libvirt-seed-"));
  const dispose = () => rm(dir, { recursive: true, force: true });
  try {
    await writeFile(path.join(dir, "user-data"), docs.userData, { mode: 0o600 });
    await writeFile(path.join(dir, "meta-data"), docs.metaData, { mode: 0o600 });
    const args = ["-output", "seed.iso", "-volid", "cidata", "-joliet", "-rock", "-quiet", "user-data", "meta-data"];
    await new Promise<void>((resolve, reject) => {
      if (opts.signal.aborted) return reject(timeoutError("building the cloud-init seed", opts.signal));
      const env = { PATH: process.env.PATH, HOME: process.env.HOME, LC_ALL: "C" } as unknown as NodeJS.ProcessEnv;
      execFile(opts.genisoimage, args, { cwd: dir, env, signal: opts.signal, killSignal: "SIGKILL", maxBuffer: 1024 * 1024 }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        if (isAbort(err) || opts.signal.aborted) return reject(timeoutError("building the cloud-init seed", opts.signal));
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(new DriverError("UNSUPPORTED", `genisoimage is not installed on the Orquestra worker (${opts.genisoimage}): it builds the cloud-init seed of libvirt machines`, false));
        }
        const why = String(stderr || err.message).replace(/\s+/g, " ").trim().slice(0, 300);
        reject(new DriverError("PROVIDER", `genisoimage could not build the cloud-init seed: ${why}`, false));
      });
    });
    const file = path.join(dir, "seed.iso");
    return { file, bytes: (await stat(file)).size, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}
