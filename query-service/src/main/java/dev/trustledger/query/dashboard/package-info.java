/**
 * The dashboard: server-rendered pages and JavaScript modules that show the portfolio,
 * timelines, alerts and replays, and the sign-in that keeps a relay token or OpenID
 * Connect tokens instead of a password.
 */
package dev.trustledger.query.dashboard;
