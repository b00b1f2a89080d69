package dev.trustledger.support.security;

/** What a user may do. Authorities are {@code ROLE_<name>}. */
public enum Role {

	/** Opens, closes and records incidents on engagements; reads them. */
	ACCOUNT_TEAM,

	/** Reads everything. */
	DELIVERY_LEAD,

	/** Reads everything; replays, re-scores and exports history. */
	ANALYST,

	/** Everything. */
	ADMIN;

	public static String[] names(Role... roles) {
		String[] names = new String[roles.length];
		for (int i = 0; i < roles.length; i++) {
			names[i] = roles[i].name();
		}
		return names;
	}

	public static String[] all() {
		return names(values());
	}

}
