package dev.trustledger.query.projection;

import org.bson.Document;

/**
 * An engagement's document as this instance's projection just committed it, for what
 * keeps a view of it in memory. Published after the commit, on the projecting thread.
 *
 * @param generation the generation it was committed to
 * @param engagement the document as written; not to be changed
 */
public record EngagementCommitted(int generation, Document engagement) {
}
