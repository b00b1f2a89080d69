/**
 * Answers common to every query endpoint: request parameters that cannot be read become
 * problem+json with the parameter at fault.
 */
package dev.trustledger.query.web;
