CREATE TABLE `pulse_weeks` (
	`community_id` text NOT NULL,
	`week_until` integer NOT NULL,
	`computed_at` integer NOT NULL,
	`not_counted` text NOT NULL,
	`figures` text NOT NULL,
	PRIMARY KEY(`community_id`, `week_until`)
);
