DROP INDEX "runs_sweep_trial";--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "trial_attempt" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "retry_of" text;--> statement-breakpoint
ALTER TABLE "sweeps" ADD COLUMN "started_at" bigint;--> statement-breakpoint
ALTER TABLE "sweeps" ADD COLUMN "resumed_at" bigint;--> statement-breakpoint
ALTER TABLE "sweeps" ADD COLUMN "retry_at" bigint;--> statement-breakpoint
CREATE UNIQUE INDEX "runs_sweep_trial" ON "runs" USING btree ("sweep_id","trial_index","repeat_index","trial_attempt");