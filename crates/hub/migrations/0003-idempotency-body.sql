-- Version 3: an idempotency key is bound to the batch it came with: the SHA-256 of the
-- batch as parsed (canonical JSON). The same key with another batch is refused; rows kept
-- before this step have none, and their batch is applied again when re-sent.
ALTER TABLE idempotency ADD COLUMN body_sha256 TEXT;
