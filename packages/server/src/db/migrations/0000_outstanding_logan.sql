CREATE TABLE `checkpoints` (
	`run_id` text PRIMARY KEY NOT NULL,
	`step` integer NOT NULL,
	`path` text NOT NULL,
	`created_at` integer NOT NULL,
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
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`tags` text NOT NULL,
	`status` text NOT NULL,
	`config` text NOT NULL,
	`idempotency_key` text,
	`sweep_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`step` integer DEFAULT 0 NOT NULL,
	`total_steps` integer NOT NULL,
	`test_accuracy` real,
	`test_loss` real,
	`error_code` text,
	`error_message` text,
	`environment` text,
	`dataset_shape` text,
	`evaluation` text,
	`ms_per_step` real,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runs_idempotency_key` ON `runs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `runs_status_created` ON `runs` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_sweep` ON `runs` (`sweep_id`);--> statement-breakpoint
CREATE TABLE `sweeps` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text,
	`status` text NOT NULL,
	`spec` text NOT NULL,
	`created_at` integer NOT NULL
);
