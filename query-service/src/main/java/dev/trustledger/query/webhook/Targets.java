package dev.trustledger.query.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;

/**
 * Which URLs alerts may be posted to: {@code http} or {@code https}, a host, no user
 * information, and, unless private targets are allowed, a host that resolves to public
 * addresses only. The address check is made when a subscription is saved and again before
 * every attempt, since a name can be pointed elsewhere after it was accepted.
 */
final class Targets {

	private static final int MAX_LENGTH = 2000;

	private final boolean allowPrivate;

	Targets(boolean allowPrivate) {
		this.allowPrivate = allowPrivate;
	}

	/** A target that may not be used, and why. */
	static final class Refused extends Exception {

		private final String code;

		Refused(String code, String message) {
			super(message, null, false, false);
			this.code = code;
		}

		String code() {
			return this.code;
		}

	}

	/** The URL as given, once it is acceptable. */
	URI check(String url) throws Refused {
		if (url == null || url.isBlank()) {
			throw new Refused("invalid-field",
					"url is required: where alerts are posted, such as https://example.com/hooks/trust.");
		}
		if (url.length() > MAX_LENGTH) {
			throw new Refused("invalid-field", "url is longer than " + MAX_LENGTH + " characters.");
		}
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new Refused("invalid-field", "url is not a URL: " + ex.getReason() + ".");
		}
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(java.util.Locale.ROOT) : "";
		if (!scheme.equals("https") && !scheme.equals("http")) {
			throw new Refused("invalid-field", "url must be an http or https URL.");
		}
		if (uri.getHost() == null || uri.getHost().isBlank()) {
			throw new Refused("invalid-field", "url must name a host.");
		}
		if (uri.getRawUserInfo() != null) {
			throw new Refused("invalid-field",
					"url must not carry a user and password; put a token in the path or query if the receiver needs one.");
		}
		if (uri.getRawFragment() != null) {
			throw new Refused("invalid-field", "url must not have a fragment.");
		}
		checkAddress(uri);
		return uri;
	}

	/** Whether the host still resolves to addresses alerts may be posted to. */
	void checkAddress(URI uri) throws Refused {
		if (this.allowPrivate) {
			return;
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(uri.getHost());
		}
		catch (UnknownHostException ex) {
			addresses = new InetAddress[0];
		}
		boolean allowed = addresses.length > 0;
		for (InetAddress address : addresses) {
			allowed &= !isPrivate(address);
		}
		if (!allowed) {
			// one answer for both, so that refusals do not map the internal network
			throw new Refused("webhook-target-not-allowed",
					"url's host " + uri.getHost()
							+ " does not resolve to public addresses only; this service posts only there"
							+ " (trustledger.webhooks.allow-private-targets).");
		}
	}

	static boolean isPrivate(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return true;
		}
		byte[] bytes = address.getAddress();
		if (bytes.length == 4) {
			int first = bytes[0] & 0xff;
			int second = bytes[1] & 0xff;
			// 0/8 unrouted, 100.64/10 carrier-grade NAT, 198.18/15 benchmarking, 240/4
			// reserved and broadcast
			return first == 0 || (first == 100 && second >= 64 && second < 128)
					|| (first == 198 && (second == 18 || second == 19)) || first >= 240;
		}
		// fc00::/7 unique local
		if ((bytes[0] & 0xfe) == 0xfc) {
			return true;
		}
		// an IPv4 address inside IPv6: NAT64 64:ff9b::/96, 6to4 2002::/16, mapped or
		// compatible ::/96: judged as the IPv4 address it carries
		byte[] embedded = null;
		if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
			embedded = java.util.Arrays.copyOfRange(bytes, 2, 6);
		}
		else if (startsWith(bytes, new int[] { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 })
				|| startsWith(bytes, new int[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })
				|| startsWith(bytes, new int[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff })) {
			embedded = java.util.Arrays.copyOfRange(bytes, 12, 16);
		}
		if (embedded != null) {
			try {
				return isPrivate(InetAddress.getByAddress(embedded));
			}
			catch (UnknownHostException ex) {
				return true;
			}
		}
		return false;
	}

	private static boolean startsWith(byte[] bytes, int[] prefix) {
		for (int i = 0; i < prefix.length; i++) {
			if ((bytes[i] & 0xff) != prefix[i]) {
				return false;
			}
		}
		return true;
	}

}
