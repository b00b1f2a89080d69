/**
 * Generations: each set of projection collections is a numbered generation; the pointer
 * to the current one, the scoring model each was built with, and the changes of the live
 * model are kept in MongoDB.
 */
package dev.trustledger.query.generation;
