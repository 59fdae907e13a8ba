// The pure half of Orquestra's vim25 client: SOAP envelopes built by hand and answers parsed
// into a small node tree, with vSphere faults mapped into DriverErrors.
//
// Why by hand: vSphere's management API (vim25) is SOAP-only for the operations Orquestra
// needs (clone, reconfigure, snapshots, the property collector); the vSphere Automation REST
// API covers only part of it and is absent from the simulator. No maintained Node client for
// vim25 exists (the old "vsphere"/"node-vsphere" packages are abandoned and generic SOAP
// libraries need the WSDL, which vCenter serves only partially and the simulator not at all).
// govmomi (Go) and pyvmomi (Python) do what this file does: write document/literal envelopes
// in the WSDL's element order and read the answers by element name. Only the handful of
// types the driver uses are written here, each in its WSDL order (see the builders in
// vim-specs.ts). Nothing here performs I/O, so all of it is unit-tested.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { DriverError, type DriverErrorCode } from "../types";

/** A managed object reference: its type (VirtualMachine, Task, ...) and its id ("vm-42"). */
export interface MoRef {
  type: string;
  value: string;
}

// --------------------------------------------------------------------------- building

/** A value the envelope writer can serialize (see `serialize`). */
export type XmlValue = string | number | boolean | null | undefined | MorValue | TypedText | XmlFields | XmlValue[];
export interface MorValue {
  $mor: MoRef;
}
export interface TypedText {
  $type: string;
  $text: string;
}
/** An object's fields, written in insertion order; `$type` becomes xsi:type. */
export interface XmlFields {
  $type?: string;
  [field: string]: XmlValue;
}

export const mor = (ref: MoRef): MorValue => ({ $mor: ref });
/** A polymorphic field: the element carries xsi:type (e.g. a TraversalSpec in a selectSet). */
export const typed = (type: string, fields: Omit<XmlFields, "$type">): XmlFields => ({ $type: type, ...fields });
/** An xsd:anyType value with its type (e.g. an OptionValue's `<value xsi:type="xsd:string">`). */
export const typedText = (type: string, text: string): TypedText => ({ $type: type, $text: text });

// XML 1.0 forbids these control characters even when escaped.
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML_CHARS, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`invalid XML element name "${name}"`);
  return name;
}

/** One element (or several, for an array) named `name` holding `value`. */
export function serialize(name: string, value: XmlValue): string {
  checkName(name);
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map((v) => serialize(name, v)).join("");
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`${name}: not a finite number`);
    return `<${name}>${escapeXml(String(value))}</${name}>`;
  }
  if ("$mor" in value) {
    const m = (value as MorValue).$mor;
    return `<${name} type="${escapeXml(m.type)}">${escapeXml(m.value)}</${name}>`;
  }
  const type = typeof value.$type === "string" ? ` xsi:type="${escapeXml(value.$type)}"` : "";
  if ("$text" in value && typeof value.$text === "string") return `<${name}${type}>${escapeXml(value.$text)}</${name}>`;
  let inner = "";
  for (const [k, v] of Object.entries(value)) {
    if (k === "$type") continue;
    inner += serialize(k, v as XmlValue);
  }
  return `<${name}${type}>${inner}</${name}>`;
}

/** The SOAP 1.1 envelope of a vim25 method call: `_this` first, then the arguments in order. */
export function envelope(method: string, self: MoRef, args: Record<string, XmlValue> = {}): string {
  checkName(method);
  let body = serialize("_this", mor(self));
  for (const [k, v] of Object.entries(args)) body += serialize(k, v);
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><${method} xmlns="urn:vim25">${body}</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

// --------------------------------------------------------------------------- parsing

/** An element of an answer: its text, plain attributes, xsi:type, and children by local name. */
export interface XNode {
  text: string;
  attrs: Record<string, string>;
  /** The xsi:type attribute without its prefix ("VirtualMachinePowerState", "string"). */
  xsiType?: string;
  kids: Record<string, XNode[]>;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  textNodeName: "#text",
  alwaysCreateTextNode: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  removeNSPrefix: false,
  processEntities: true,
  isArray: () => true,
});

const localName = (n: string) => n.slice(n.indexOf(":") + 1);

function toNode(raw: unknown): XNode {
  const node: XNode = { text: "", attrs: {}, kids: {} };
  if (raw === null || raw === undefined) return node;
  if (typeof raw !== "object") {
    node.text = String(raw);
    return node;
  }
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (k === "#text") {
      node.text = Array.isArray(v) ? v.join("") : String(v ?? "");
    } else if (k.startsWith("@_")) {
      const attr = k.slice(2);
      if (attr.includes(":")) {
        if (localName(attr) === "type" && !attr.startsWith("xmlns")) node.xsiType = localName(String(v));
      } else {
        node.attrs[attr] = String(v);
      }
    } else if (!k.startsWith("?")) {
      const name = localName(k);
      const list = Array.isArray(v) ? v : [v];
      (node.kids[name] ??= []).push(...list.map(toNode));
    }
  }
  return node;
}

/** Parses an XML document into nodes; throws when it is not well-formed. */
export function parseXml(text: string): XNode {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`malformed XML (${valid.err.msg}, line ${valid.err.line})`);
  return toNode(parser.parse(text));
}

export const kid = (n: XNode | undefined, name: string): XNode | undefined => n?.kids[name]?.[0];
export const kids = (n: XNode | undefined, name: string): XNode[] => n?.kids[name] ?? [];
/** Follows a path of child names ("summary", "hardware", "numCpuCores"). */
export const at = (n: XNode | undefined, ...path: string[]): XNode | undefined => path.reduce<XNode | undefined>((cur, p) => kid(cur, p), n);
export const text = (n: XNode | undefined): string | undefined => (n ? n.text : undefined);
export function num(n: XNode | undefined): number | undefined {
  if (!n || n.text === "") return undefined;
  const v = Number(n.text);
  return Number.isFinite(v) ? v : undefined;
}
export const bool = (n: XNode | undefined): boolean | undefined => (n ? n.text === "true" || n.text === "1" : undefined);
/** A ManagedObjectReference element (`<x type="VirtualMachine">vm-1</x>`). */
export function morOf(n: XNode | undefined): MoRef | undefined {
  if (!n || !n.attrs.type || !n.text) return undefined;
  return { type: n.attrs.type, value: n.text };
}

/** A vim25 fault from a SOAP Fault or a task's LocalizedMethodFault. */
export interface VimFault {
  /** The fault's type name without the "Fault" suffix of its detail element ("InvalidLogin"). */
  type: string;
  message: string;
  detail?: XNode;
}

export class VimFaultError extends DriverError {
  constructor(
    code: DriverErrorCode,
    message: string,
    retryable: boolean,
    public readonly fault: VimFault,
  ) {
    super(code, message, retryable);
    this.name = "VimFaultError";
  }
}

/** Fault types that mean "not enough room" (InsufficientResourcesFault and its relatives). */
const CAPACITY_FAULTS = /^(Insufficient\w*|NoDiskSpace|NotEnoughLicenses|NotEnoughCpus|OutOfBounds|VmFaultToleranceTooManyVMsOnHost|NumVirtualCpusExceedsLimit|MemorySizeNotRecommended)$/;
/** Transient conditions worth retrying later. */
const RETRYABLE_FAULTS = /^(HostCommunication|HostNotConnected|HostNotReachable|TaskInProgress|ConcurrentAccess|RequestCanceled|ResourceInUse|Timedout)$/;

/** Maps a vim25 fault into Orquestra's error codes. */
export function faultToDriverError(f: VimFault, what: string): VimFaultError {
  const msg = f.message ? `${f.type}: ${f.message}` : f.type;
  let code: DriverErrorCode = "PROVIDER";
  if (f.type === "InvalidLogin" || f.type === "NotAuthenticated" || f.type === "NoPermission" || f.type === "InvalidPrincipal") code = "AUTH";
  else if (f.type === "ManagedObjectNotFound") code = "NOT_FOUND";
  else if (CAPACITY_FAULTS.test(f.type)) code = "CAPACITY";
  else if (f.type === "NotSupported" || f.type === "NotImplemented") code = "UNSUPPORTED";
  const retryable = code === "PROVIDER" && RETRYABLE_FAULTS.test(f.type);
  return new VimFaultError(code, `vSphere ${what} failed: ${msg}`.slice(0, 600), retryable, f);
}

/** The fault carried by a soapenv:Fault element. */
export function parseSoapFault(fault: XNode): VimFault {
  const detail = kid(fault, "detail");
  const first = detail ? Object.entries(detail.kids)[0] : undefined;
  const node = first?.[1][0];
  const type = node?.xsiType ?? (first ? first[0].replace(/Fault$/, "") : text(kid(fault, "faultcode"))?.replace(/^.*:/, "") || "SoapFault");
  return { type, message: text(kid(fault, "faultstring")) ?? "", detail: node };
}

/** The fault of a task's `info.error` (a LocalizedMethodFault). */
export function parseMethodFault(error: XNode): VimFault {
  const fault = kid(error, "fault");
  return { type: fault?.xsiType ?? "MethodFault", message: text(kid(error, "localizedMessage")) ?? "", detail: fault };
}

/**
 * The `<method>Response` element of an answer; throws a mapped DriverError for a SOAP fault
 * and a PROVIDER error for anything that is not a vim25 answer.
 */
export function parseResponse(body: string, method: string, what: string): XNode {
  let doc: XNode;
  try {
    doc = parseXml(body);
  } catch (err) {
    throw new DriverError("PROVIDER", `vSphere answered ${what} with malformed data: ${(err as Error).message}`.slice(0, 300), false);
  }
  const bodyNode = at(doc, "Envelope", "Body");
  if (!bodyNode) throw new DriverError("PROVIDER", `vSphere answered ${what} with a document that is not a SOAP envelope`, false);
  const fault = kid(bodyNode, "Fault");
  if (fault) throw faultToDriverError(parseSoapFault(fault), what);
  const res = kid(bodyNode, `${method}Response`);
  if (!res) throw new DriverError("PROVIDER", `vSphere answered ${what} without a ${method}Response`, false);
  return res;
}

// --------------------------------------------------------------------------- property collector results

/** One object of a RetrievePropertiesEx answer: its reference and its properties by path. */
export interface ObjectContent {
  obj: MoRef;
  props: Record<string, XNode>;
  /** Paths the collector could not read (e.g. a fault on that property). */
  missing: string[];
}

export function parseObjectContents(returnval: XNode | undefined): { objects: ObjectContent[]; token?: string } {
  if (!returnval) return { objects: [] };
  const objects = kids(returnval, "objects").map((o) => {
    const obj = morOf(kid(o, "obj"));
    if (!obj) throw new DriverError("PROVIDER", "vSphere answered the property collector with an object without a reference", false);
    const props: Record<string, XNode> = {};
    for (const p of kids(o, "propSet")) {
      const name = text(kid(p, "name"));
      const val = kid(p, "val");
      if (name && val) props[name] = val;
    }
    const missing = kids(o, "missingSet").map((m) => text(kid(m, "path")) ?? "");
    return { obj, props, missing };
  });
  return { objects, token: text(kid(returnval, "token")) || undefined };
}

/** An ArrayOfOptionValue (config.extraConfig) as a plain map. */
export function optionValues(val: XNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of kids(val, "OptionValue")) {
    const k = text(kid(o, "key"));
    if (k) out[k] = text(kid(o, "value")) ?? "";
  }
  return out;
}

/** An ArrayOfManagedObjectReference as a list. */
export function morList(val: XNode | undefined): MoRef[] {
  return kids(val, "ManagedObjectReference")
    .map(morOf)
    .filter((m): m is MoRef => Boolean(m));
}
