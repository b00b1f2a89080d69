-- The event store of Axon's JDBC engine, in the column names of its default EventSchema and
-- TokenSchema (unquoted, so PostgreSQL folds them to lower case). Flyway owns the schema:
-- later changes are new versioned scripts, never edits of this one.

-- Every stored event: one gap-free sequence per engagement (aggregate), and one global
-- index across all of them, which the tracking processors read in order.
CREATE TABLE domainevententry (
    globalindex BIGSERIAL NOT NULL,
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber BIGINT NOT NULL,
    type VARCHAR(255),
    eventidentifier VARCHAR(255) NOT NULL,
    metadata BYTEA,
    payload BYTEA NOT NULL,
    payloadrevision VARCHAR(255),
    payloadtype VARCHAR(255) NOT NULL,
    timestamp VARCHAR(255) NOT NULL,
    PRIMARY KEY (globalindex),
    -- a concurrent append of the same sequence number fails here: Axon's ConcurrencyException
    UNIQUE (aggregateidentifier, sequencenumber),
    UNIQUE (eventidentifier)
);

-- The latest snapshot of an engagement, so that loading it reads at most a few events.
CREATE TABLE snapshotevententry (
    aggregateidentifier VARCHAR(255) NOT NULL,
    sequencenumber BIGINT NOT NULL,
    type VARCHAR(255) NOT NULL,
    eventidentifier VARCHAR(255) NOT NULL,
    metadata BYTEA,
    payload BYTEA NOT NULL,
    payloadrevision VARCHAR(255),
    payloadtype VARCHAR(255) NOT NULL,
    timestamp VARCHAR(255) NOT NULL,
    PRIMARY KEY (aggregateidentifier, sequencenumber),
    UNIQUE (eventidentifier)
);

-- Where each tracking processor (the Kafka publisher) has got to, and which instance owns it.
CREATE TABLE tokenentry (
    processorname VARCHAR(255) NOT NULL,
    segment INTEGER NOT NULL,
    token BYTEA,
    tokentype VARCHAR(255),
    timestamp VARCHAR(255),
    owner VARCHAR(255),
    PRIMARY KEY (processorname, segment)
);
