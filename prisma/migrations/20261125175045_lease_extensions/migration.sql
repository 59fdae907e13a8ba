-- CreateEnum
CREATE TYPE "LeaseExtensionStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateTable
CREATE TABLE "LeaseExtension" (
    "id" UUID NOT NULL,
    "machineId" UUID NOT NULL,
    "requestedById" UUID NOT NULL,
    "newEndsAt" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "status" "LeaseExtensionStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LeaseExtension_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LeaseExtension_status_createdAt_idx" ON "LeaseExtension"("status", "createdAt");

-- CreateIndex
CREATE INDEX "LeaseExtension_machineId_status_idx" ON "LeaseExtension"("machineId", "status");

-- AddForeignKey
ALTER TABLE "LeaseExtension" ADD CONSTRAINT "LeaseExtension_machineId_fkey" FOREIGN KEY ("machineId") REFERENCES "Machine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaseExtension" ADD CONSTRAINT "LeaseExtension_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LeaseExtension" ADD CONSTRAINT "LeaseExtension_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

