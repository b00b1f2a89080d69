package dev.trustledger.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Port helpers: checking that a port is free before a server tries it, and picking free
 * ones for tests.
 */
public final class Ports {

	private Ports() {
	}

	/** Fails with a clear message when {@code host:port} cannot be bound. */
	static void requireFree(String what, String host, int port, String option) {
		try (ServerSocket socket = new ServerSocket()) {
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
		}
		catch (IOException ex) {
			throw new PortUnavailableException(what, host, port, option);
		}
	}

	/** Distinct ports that were free a moment ago on the loopback interface. */
	public static int[] freePorts(int count) {
		ServerSocket[] sockets = new ServerSocket[count];
		try {
			int[] ports = new int[count];
			for (int i = 0; i < count; i++) {
				sockets[i] = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				ports[i] = sockets[i].getLocalPort();
			}
			return ports;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			for (ServerSocket socket : sockets) {
				closeQuietly(socket);
			}
		}
	}

	private static void closeQuietly(ServerSocket socket) {
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// nothing held: the port is simply released
			}
		}
	}

}
