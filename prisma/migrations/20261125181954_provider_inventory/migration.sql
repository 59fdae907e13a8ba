-- AlterTable
ALTER TABLE "Machine" ADD COLUMN     "driftReason" TEXT;

-- CreateTable
CREATE TABLE "UnmanagedMachine" (
    "id" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "vcpu" INTEGER,
    "memoryMb" INTEGER,
    "diskGb" INTEGER,
    "hostRef" TEXT,
    "seenAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UnmanagedMachine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "UnmanagedMachine_providerId_ref_key" ON "UnmanagedMachine"("providerId", "ref");

-- AddForeignKey
ALTER TABLE "UnmanagedMachine" ADD CONSTRAINT "UnmanagedMachine_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

