package dev.trustledger.infra;

/** A listener could not bind: the message names the port and the option that moves it. */
public final class PortUnavailableException extends RuntimeException {

	private final int port;

	PortUnavailableException(String what, String host, int port, String option) {
		super("%s cannot listen on %s:%d: the port is already in use. Stop whatever holds it, or choose another port with %s=<port>."
			.formatted(what, host, port, option));
		this.port = port;
	}

	public int port() {
		return this.port;
	}

}
