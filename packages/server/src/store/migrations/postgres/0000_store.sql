CREATE TABLE "artifacts" (
	"run_id" text NOT NULL,
	"kind" text NOT NULL,
	"step" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "artifacts_run_id_kind_pk" PRIMARY KEY("run_id","kind")
);
--> statement-breakpoint
CREATE TABLE "run_events" (
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "run_events_run_id_seq_pk" PRIMARY KEY("run_id","seq")
);
--> statement-breakpoint
CREATE TABLE "run_metrics" (
	"run_id" text NOT NULL,
	"step" integer NOT NULL,
	"kind" text NOT NULL,
	"loss" double precision,
	"learning_rate" double precision,
	"ms_per_step" double precision,
	"train_loss" double precision,
	"train_accuracy" double precision,
	"validation_loss" double precision,
	"validation_accuracy" double precision,
	CONSTRAINT "run_metrics_run_id_step_kind_pk" PRIMARY KEY("run_id","step","kind")
);
--> statement-breakpoint
CREATE TABLE "run_tags" (
	"run_id" text NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "run_tags_run_id_tag_pk" PRIMARY KEY("run_id","tag")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"tags" jsonb NOT NULL,
	"status" text NOT NULL,
	"config" jsonb NOT NULL,
	"idempotency_key" text,
	"request_hash" text,
	"sweep_id" text,
	"trial_index" integer,
	"repeat_index" integer,
	"trial" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"step" integer DEFAULT 0 NOT NULL,
	"total_steps" integer NOT NULL,
	"last_seq" integer DEFAULT 0 NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_expires_at" bigint,
	"test_accuracy" double precision,
	"test_loss" double precision,
	"best_validation_accuracy" double precision,
	"error_code" text,
	"error_message" text,
	"environment" jsonb,
	"dataset_shape" jsonb,
	"evaluation" jsonb,
	"ms_per_step" double precision,
	"created_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "sweeps" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"status" text NOT NULL,
	"spec" jsonb NOT NULL,
	"stop_reason" text,
	"created_at" bigint NOT NULL,
	"finished_at" bigint
);
--> statement-breakpoint
CREATE TABLE "workers" (
	"id" text PRIMARY KEY NOT NULL,
	"host" text NOT NULL,
	"pid" integer NOT NULL,
	"backend" jsonb,
	"run_id" text,
	"started_at" bigint NOT NULL,
	"heartbeat_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_metrics" ADD CONSTRAINT "run_metrics_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_tags" ADD CONSTRAINT "run_tags_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_sweep_id_sweeps_id_fk" FOREIGN KEY ("sweep_id") REFERENCES "public"."sweeps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_tags_tag" ON "run_tags" USING btree ("tag");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_idempotency_key" ON "runs" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "runs_sweep_trial" ON "runs" USING btree ("sweep_id","trial_index","repeat_index");--> statement-breakpoint
CREATE INDEX "runs_status_created" ON "runs" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "runs_created" ON "runs" USING btree ("created_at");