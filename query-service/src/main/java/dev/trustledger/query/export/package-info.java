/**
 * Exports: every event, or one engagement's, as CloudEvents in NDJSON, and an
 * engagement's scored timeline as CSV, streamed so that no export is ever held in memory
 * whole.
 */
package dev.trustledger.query.export;
