/**
 * The projection: reads each engagement event from Kafka (its CloudEvent envelope), folds
 * it into the engagement's documents in the current generation (facts, monthly history,
 * scored timeline) and commits by writing the engagement document last, only if nobody
 * wrote it meanwhile. {@code EngagementProjection} applies one live event;
 * {@code EngagementFold} folds a whole history for a rebuild through the same pure
 * functions in {@code EngagementDocuments}. A record that cannot be applied is handed to
 * {@code parking}.
 */
package dev.trustledger.query.projection;
