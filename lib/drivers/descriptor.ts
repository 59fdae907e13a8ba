// What Orquestra knows about one kind of provider, split in two halves:
// - the profile (kind, capabilities, settings of the provider form): pure data and zod
//   schemas, safe for the browser bundle (the provider form and the machine page read it);
// - the descriptor: the profile plus a lazy factory, so building a driver is the only thing
//   that loads its code and SDKs (dockerode, undici, ...), and importing the registry loads
//   none of them. A bundler follows every `import()` it sees, so the factory must stay out of
//   anything the browser imports: that is why the two halves are separate files
//   (lib/drivers/<kind>/profile.ts and descriptor.ts).
import type { z } from "zod";
import type { Db } from "../db/client";
import type { ProviderKind } from "../generated/prisma/enums";
import type { Capability, Driver, DriverConfig } from "./types";

export interface CredentialField {
  key: string;
  /** Required to create the provider (an edit may leave it blank to keep the stored value). */
  required: boolean;
  /** A password-like value (input type=password). */
  secret: boolean;
  /** A PEM block (textarea). */
  multiline?: boolean;
}

/** How the provider form renders one setting. */
export type SettingInput = "text" | "number" | "boolean" | "select";

/**
 * One setting of a kind's configuration, rendered as a labelled form field: its label and help
 * text are messages `providers.settings.<key>.label` / `.help` (en and pt-BR; a test checks
 * that every declared key has both), so one key means one thing across kinds.
 */
export interface SettingField {
  key: string;
  input: SettingInput;
  /** The form refuses to save without it (the zod schema says so too; a test checks they agree). */
  required?: boolean;
  /** The choices of a select. */
  options?: readonly string[];
  /** Shown as the placeholder: a value of the right form, never a default pretending to be real. */
  example?: string;
  /** Groups the fields in the form. */
  section: "connection" | "placement" | "storage" | "capacity" | "advanced";
}

/** The provider form's inputs for a kind, and how the server checks them. */
export interface DriverSettings {
  endpoint: {
    /** Endpoint forms the kind accepts (the driver refuses anything else at run time too). */
    pattern: RegExp;
    /** The placeholder shown in the form. */
    example: string;
    /** The endpoint may be left empty (a simulator, a cloud region chosen in the config). */
    optional: boolean;
  };
  /** Credential fields, sealed together as one JSON map. */
  credentials: readonly CredentialField[];
  config: {
    /** The stored config: a strict object, so an unknown key is refused instead of silently ignored. */
    schema: z.ZodType<Record<string, unknown>>;
    /** The form's fields for it, one per key of the schema (a test checks they agree). */
    fields: readonly SettingField[];
  };
}

/** The browser-safe half: no driver code. */
export interface DriverProfile {
  kind: ProviderKind;
  /** What the driver can do beyond the required core (the machine page offers only these). */
  capabilities: readonly Capability[];
  /** With capability "console": an interactive shell (xterm.js) or a VNC screen (noVNC). */
  console?: "shell" | "vnc";
  /**
   * Private cloud (hypervisors, container hosts in the datacentre) or public cloud: the request
   * form's "private only" placement target keeps machines on the private ones.
   */
  cloud: "private" | "public";
  /**
   * How an offering becomes a machine: `exact` hypervisors take its vCPU, memory and disk as
   * they are; `mapped` clouds sell fixed shapes, so each offering needs the provider's size
   * (an EC2 instance type, an Azure VM size: OfferingProviderRef) before the provider can serve it.
   */
  sizing: "exact" | "mapped";
  /** What a template's ref on this kind looks like (the templates page's placeholder). */
  templateRefExample: string;
  settings: DriverSettings;
  /**
   * Can a resize move the machine's disk to another storage tier (SSD <-> HDD)? Absent: no, a
   * resize keeps the tier (lib/machines/resize-impact.ts `tierChangeAllowed`).
   */
  migratesDiskTier?: boolean;
  /** The driver renames machines on the provider (`Driver.rename`); absent: the portal name only. */
  renamesMachines?: boolean;
}

export interface DriverDeps {
  /** The database (the simulator keeps its inventory there). */
  db: Db;
}

export type DriverFactory = (config: DriverConfig, deps: DriverDeps) => Promise<Driver>;

export interface DriverDescriptor extends DriverProfile {
  /** Builds a driver (loading its code on first use); null: no driver for this kind yet. */
  create: DriverFactory | null;
  /**
   * Frees what the kind keeps across driver instances (vSphere's pooled sessions). Called once
   * when the process shuts down; each driver's own `close()` frees what that driver holds.
   */
  closeAll?: () => Promise<void>;
}
