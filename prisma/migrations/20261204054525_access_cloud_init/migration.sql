-- AlterTable
ALTER TABLE "Template" ADD COLUMN     "defaultUser" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "userData" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Request" ADD COLUMN     "sshKeyIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "sshKeysChosen" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Machine" ADD COLUMN     "access" JSONB;

-- CreateTable
CREATE TABLE "SshKey" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "publicKey" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SshKey_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SshKey_userId_createdAt_idx" ON "SshKey"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SshKey_userId_fingerprint_key" ON "SshKey"("userId", "fingerprint");

-- AddForeignKey
ALTER TABLE "SshKey" ADD CONSTRAINT "SshKey_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

