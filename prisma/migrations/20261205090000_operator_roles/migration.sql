-- Two roles: an admin manages the team, API tokens and settings; an agent works the conversations,
-- contacts and saved replies. Operators made before roles existed could do everything, so they
-- stay admins; a new operator is an agent unless they are the first.
CREATE TYPE "OperatorRole" AS ENUM ('ADMIN', 'AGENT');
ALTER TABLE "operators" ADD COLUMN "role" "OperatorRole" NOT NULL DEFAULT 'AGENT';
UPDATE "operators" SET "role" = 'ADMIN';
