/**
 * Reading one engagement: its document with current scores and promises, its scores as of
 * a business time and as known at a recording time, its scored timeline and its history
 * of events with what each did to the scores.
 */
package dev.trustledger.query.engagement;
