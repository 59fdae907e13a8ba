import { describe, expect, it } from "vitest";
import { closestSize, sizeShortfall } from "./closest-size";

// vCPU and memory of real EC2 types (DescribeInstanceTypes) and Azure sizes.
const sizes = [
  { ref: "t3.micro", vcpu: 2, memoryMb: 1024 },
  { ref: "t3.small", vcpu: 2, memoryMb: 2048 },
  { ref: "t3.medium", vcpu: 2, memoryMb: 4096 },
  { ref: "m5.large", vcpu: 2, memoryMb: 8192 },
  { ref: "c5.xlarge", vcpu: 4, memoryMb: 8192 },
  { ref: "m5.xlarge", vcpu: 4, memoryMb: 16384 },
  { ref: "r5.2xlarge", vcpu: 8, memoryMb: 65536 },
  { ref: "Standard_D2s_v5", vcpu: 2, memoryMb: 8192 },
];

describe("closest size", () => {
  it("is the smallest size holding the offering's vCPU and memory", () => {
    expect(closestSize({ vcpu: 1, memoryMb: 2048 }, sizes)?.ref).toBe("t3.small");
    expect(closestSize({ vcpu: 2, memoryMb: 4096 }, sizes)?.ref).toBe("t3.medium");
    expect(closestSize({ vcpu: 4, memoryMb: 16384 }, sizes)?.ref).toBe("m5.xlarge");
    expect(closestSize({ vcpu: 8, memoryMb: 32768 }, sizes)?.ref).toBe("r5.2xlarge");
    // Equal fits are ordered by name, so the suggestion is stable.
    expect(closestSize({ vcpu: 2, memoryMb: 8192 }, sizes)?.ref).toBe("m5.large");
  });

  it("never suggests a size smaller than the offering; nothing when none holds it", () => {
    expect(closestSize({ vcpu: 16, memoryMb: 32768 }, sizes)).toBeNull();
    expect(closestSize({ vcpu: 1, memoryMb: 1024 }, [])).toBeNull();
  });

  it("names what a mapped size lacks", () => {
    expect(sizeShortfall({ vcpu: 2, memoryMb: 4096 }, sizes[0])).toEqual(["memory"]);
    expect(sizeShortfall({ vcpu: 4, memoryMb: 1024 }, sizes[0])).toEqual(["vcpu"]);
    expect(sizeShortfall({ vcpu: 2, memoryMb: 1024 }, sizes[0])).toEqual([]);
    expect(sizeShortfall({ vcpu: 2, memoryMb: 1024 }, undefined)).toEqual([]);
  });
});
