/**
 * Whether the client side takes part in the work: information and access withheld or
 * given, decisions stalled or made, change resisted, people beyond the sponsor engaged or
 * lost.
 */
package dev.trustledger.events.cooperation;
