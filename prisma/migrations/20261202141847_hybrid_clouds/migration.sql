-- CreateEnum
CREATE TYPE "PlacementScope" AS ENUM ('AUTO', 'PRIVATE', 'PROVIDER');

-- AlterEnum
ALTER TYPE "ProviderKind" ADD VALUE 'AZURE';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "defaultProviderId" UUID;

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "placementProviderId" UUID,
ADD COLUMN     "placementScope" "PlacementScope" NOT NULL DEFAULT 'AUTO';

-- CreateTable
CREATE TABLE "ProjectProvider" (
    "projectId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectProvider_pkey" PRIMARY KEY ("projectId","providerId")
);

-- CreateTable
CREATE TABLE "OfferingProviderRef" (
    "offeringId" UUID NOT NULL,
    "providerId" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfferingProviderRef_pkey" PRIMARY KEY ("offeringId","providerId")
);

-- CreateIndex
CREATE INDEX "ProjectProvider_providerId_idx" ON "ProjectProvider"("providerId");

-- CreateIndex
CREATE INDEX "OfferingProviderRef_providerId_idx" ON "OfferingProviderRef"("providerId");

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_defaultProviderId_fkey" FOREIGN KEY ("defaultProviderId") REFERENCES "Provider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectProvider" ADD CONSTRAINT "ProjectProvider_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectProvider" ADD CONSTRAINT "ProjectProvider_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferingProviderRef" ADD CONSTRAINT "OfferingProviderRef_offeringId_fkey" FOREIGN KEY ("offeringId") REFERENCES "Offering"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfferingProviderRef" ADD CONSTRAINT "OfferingProviderRef_providerId_fkey" FOREIGN KEY ("providerId") REFERENCES "Provider"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Request" ADD CONSTRAINT "Request_placementProviderId_fkey" FOREIGN KEY ("placementProviderId") REFERENCES "Provider"("id") ON DELETE SET NULL ON UPDATE CASCADE;

