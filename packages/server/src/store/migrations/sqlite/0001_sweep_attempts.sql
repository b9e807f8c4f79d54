DROP INDEX `runs_sweep_trial`;--> statement-breakpoint
ALTER TABLE `runs` ADD `trial_attempt` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `runs` ADD `retry_of` text;--> statement-breakpoint
CREATE UNIQUE INDEX `runs_sweep_trial` ON `runs` (`sweep_id`,`trial_index`,`repeat_index`,`trial_attempt`);--> statement-breakpoint
ALTER TABLE `sweeps` ADD `started_at` integer;--> statement-breakpoint
ALTER TABLE `sweeps` ADD `resumed_at` integer;--> statement-breakpoint
ALTER TABLE `sweeps` ADD `retry_at` integer;