-- CreateTable
CREATE TABLE "ApiIdempotency" (
    "id" UUID NOT NULL,
    "actorId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "requestHash" TEXT NOT NULL,
    "statusCode" INTEGER,
    "body" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ApiIdempotency_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ApiIdempotency_actorId_createdAt_idx" ON "ApiIdempotency"("actorId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ApiIdempotency_actorId_key_key" ON "ApiIdempotency"("actorId", "key");

-- CreateIndex
CREATE INDEX "ApiToken_userId_createdAt_idx" ON "ApiToken"("userId", "createdAt");

