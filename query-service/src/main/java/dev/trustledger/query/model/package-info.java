/**
 * Scoring models: the live model and candidate models, a candidate's replay, and how its
 * scores compare with the live ones engagement by engagement.
 */
package dev.trustledger.query.model;
