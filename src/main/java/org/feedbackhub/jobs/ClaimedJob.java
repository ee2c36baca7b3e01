package org.feedbackhub.jobs;

import java.util.UUID;

/**
 * A job leased by one worker. {@code attempts} counts this attempt and is the fence: completing,
 * rescheduling or parking the job only takes effect while the row still carries it, so a worker
 * whose lease ran out cannot touch a job another instance claimed again.
 *
 * @param payload the job's JSON payload as text
 */
public record ClaimedJob(UUID id, String topic, String tenantId, String payload, int attempts) {}
