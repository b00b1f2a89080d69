/**
 * Who may read what on the query service: users and roles from the configuration (basic
 * mode) or from an OpenID Connect provider's tokens (jwt mode).
 */
package dev.trustledger.query.security;
