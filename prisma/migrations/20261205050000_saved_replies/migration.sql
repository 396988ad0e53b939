-- Saved replies: answers the team types again and again, shared by everyone on it. A name is one
-- reply in any case ("Opening hours" and "opening hours" are the same), so `/opening` finds one.
-- An operator who is removed leaves their replies to the team.
CREATE TABLE "saved_replies" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_replies_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "saved_replies_name_key" ON "saved_replies"(lower("name"));
ALTER TABLE "saved_replies" ADD CONSTRAINT "saved_replies_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "operators"("id") ON DELETE SET NULL ON UPDATE CASCADE;
