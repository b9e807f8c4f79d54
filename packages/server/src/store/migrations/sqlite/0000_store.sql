CREATE TABLE `artifacts` (
	`run_id` text NOT NULL,
	`kind` text NOT NULL,
	`step` integer NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `kind`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_events` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`data` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_metrics` (
	`run_id` text NOT NULL,
	`step` integer NOT NULL,
	`kind` text NOT NULL,
	`loss` real,
	`learning_rate` real,
	`ms_per_step` real,
	`train_loss` real,
	`train_accuracy` real,
	`validation_loss` real,
	`validation_accuracy` real,
	PRIMARY KEY(`run_id`, `step`, `kind`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `run_tags` (
	`run_id` text NOT NULL,
	`tag` text NOT NULL,
	PRIMARY KEY(`run_id`, `tag`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `run_tags_tag` ON `run_tags` (`tag`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`tags` text NOT NULL,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`idempotency_key` text,
	`request_hash` text,
	`sweep_id` text,
	`trial_index` integer,
	`repeat_index` integer,
	`trial` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`total_steps` integer NOT NULL,
	`last_seq` integer DEFAULT 0 NOT NULL,
	`cancel_requested` integer DEFAULT false NOT NULL,
	`lease_owner` text,
	`lease_expires_at` integer,
	`test_accuracy` real,
	`test_loss` real,
	`best_validation_accuracy` real,
	`error_code` text,
	`error_message` text,
	`environment` text,
	`dataset_shape` text,
	`evaluation` text,
	`ms_per_step` real,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_idempotency_key` ON `runs` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `runs_sweep_trial` ON `runs` (`sweep_id`,`trial_index`,`repeat_index`);--> statement-breakpoint
CREATE INDEX `runs_status_created` ON `runs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_created` ON `runs` (`created_at`);--> statement-breakpoint
CREATE TABLE `sweeps` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`status` text NOT NULL,
	`spec` text NOT NULL,
	`stop_reason` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `workers` (
	`id` text PRIMARY KEY NOT NULL,
	`host` text NOT NULL,
	`pid` integer NOT NULL,
	`backend` text,
	`run_id` text,
	`started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL
);
