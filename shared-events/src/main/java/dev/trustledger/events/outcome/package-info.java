/**
 * Outcomes: what finally happens to a relationship (a renewal decided, an escalation to
 * the vendor's leadership, the engagement ended). They are labels a model's scores are
 * judged against, not evidence the scores are made of.
 */
package dev.trustledger.events.outcome;
