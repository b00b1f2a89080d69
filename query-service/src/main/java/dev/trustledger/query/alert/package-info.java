/**
 * Trust alerts: where an alert is decided ({@code AlertDetector}, a pure function of an
 * engagement's scored points and what was raised before), kept and published to the
 * alerts topic ({@code Alerts}), and listed ({@code AlertController}).
 */
package dev.trustledger.query.alert;
