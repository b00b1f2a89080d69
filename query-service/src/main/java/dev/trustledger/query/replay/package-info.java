/**
 * History: replays read the whole events topic again. A rebuild folds it into a new
 * generation and switches to it; a candidate-model replay scores it under another model
 * for comparison. Replays are run one at a time under a lease kept in MongoDB.
 */
package dev.trustledger.query.replay;
