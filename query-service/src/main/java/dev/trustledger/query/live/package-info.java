/**
 * The live feed: engagement events and alerts pushed to open dashboards as server-sent
 * events, read from Kafka by a consumer of its own outside any consumer group, so every
 * instance sees every partition whatever the projection's share is.
 */
package dev.trustledger.query.live;
