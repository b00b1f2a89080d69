-- Events the publisher could not publish, parked in Axon's sequenced dead-letter queue (its
-- JDBC implementation, default DeadLetterSchema column names, unquoted). One sequence per
-- engagement: once an engagement has a parked event, its later events are parked behind it,
-- in order, while every other engagement is published. Timestamps are ISO-8601 text, as the
-- queue writes them; the cause's message is text of any length.
CREATE TABLE deadletterentry (
    deadletteridentifier VARCHAR(255) NOT NULL,
    processinggroup VARCHAR(255) NOT NULL,
    sequenceidentifier VARCHAR(255) NOT NULL,
    sequenceindex BIGINT NOT NULL,
    messagetype VARCHAR(255) NOT NULL,
    eventidentifier VARCHAR(255) NOT NULL,
    timestamp VARCHAR(255) NOT NULL,
    payloadtype VARCHAR(255) NOT NULL,
    payloadrevision VARCHAR(255),
    payload BYTEA NOT NULL,
    metadata BYTEA,
    type VARCHAR(255),
    aggregateidentifier VARCHAR(255),
    sequencenumber BIGINT,
    tokentype VARCHAR(255),
    token BYTEA,
    enqueuedat VARCHAR(255) NOT NULL,
    lasttouched VARCHAR(255),
    processingstarted VARCHAR(255),
    causetype VARCHAR(255),
    causemessage TEXT,
    diagnostics BYTEA,
    PRIMARY KEY (deadletteridentifier),
    UNIQUE (processinggroup, sequenceidentifier, sequenceindex)
);

CREATE INDEX deadletterentry_group ON deadletterentry (processinggroup);
CREATE INDEX deadletterentry_sequence ON deadletterentry (processinggroup, sequenceidentifier);
