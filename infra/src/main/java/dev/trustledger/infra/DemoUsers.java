package dev.trustledger.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * One demo user per role, with passwords generated on first start and kept in the data
 * directory (never in the repository). The services receive only bcrypt hashes. The
 * hashes use a low cost factor: HTTP Basic checks the password on every request, and
 * these are demo accounts on a local machine; production authenticates with JWTs.
 */
public final class DemoUsers {

	static final String FILE = "demo-users.properties";

	private static final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);

	private final List<User> users;

	private DemoUsers(List<User> users) {
		this.users = users;
	}

	/**
	 * The demo users of a data directory, created with fresh passwords the first time.
	 */
	public static DemoUsers in(Path dataDir) {
		Path file = dataDir.resolve(FILE);
		try {
			Files.createDirectories(dataDir);
			Properties passwords = new Properties();
			if (Files.exists(file)) {
				try (Reader reader = Files.newBufferedReader(file)) {
					passwords.load(reader);
				}
			}
			List<User> users = new ArrayList<>();
			boolean created = false;
			for (String[] demo : new String[][] { { "ava", "ACCOUNT_TEAM" }, { "dan", "DELIVERY_LEAD" },
					{ "ana", "ANALYST" }, { "root", "ADMIN" } }) {
				String password = passwords.getProperty(demo[0]);
				if (password == null) {
					password = newPassword();
					passwords.setProperty(demo[0], password);
					created = true;
				}
				users.add(new User(demo[0], password, demo[1]));
			}
			if (created) {
				try (Writer writer = Files.newBufferedWriter(file)) {
					passwords.store(writer, "Trust Ledger demo users: local only, generated on first start");
				}
			}
			return new DemoUsers(users);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public List<User> users() {
		return this.users;
	}

	public User withRole(String role) {
		return this.users.stream()
			.filter((user) -> user.role().equals(role))
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No demo user with role " + role));
	}

	/**
	 * The services' {@code trustledger.security.users} settings: names, roles and bcrypt
	 * hashes.
	 */
	public List<String> springArgs() {
		List<String> args = new ArrayList<>();
		for (int i = 0; i < this.users.size(); i++) {
			User user = this.users.get(i);
			String prefix = "--trustledger.security.users[" + i + "].";
			args.add(prefix + "name=" + user.name());
			args.add(prefix + "password-hash=" + bcrypt.encode(user.password()));
			args.add(prefix + "roles=" + user.role());
		}
		return args;
	}

	private static String newPassword() {
		byte[] bytes = new byte[9];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	/** A demo user and the one role it has. */
	public record User(String name, String password, String role) {

		public String basicAuthorization() {
			return "Basic " + java.util.Base64.getEncoder()
				.encodeToString((this.name + ":" + this.password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

		@Override
		public String toString() {
			return "User[name=" + this.name + ", role=" + this.role + "]";
		}

	}

}
